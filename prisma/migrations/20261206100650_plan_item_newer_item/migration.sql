-- AlterTable
ALTER TABLE "plan_items" ADD COLUMN     "newer_item_id" INTEGER;
