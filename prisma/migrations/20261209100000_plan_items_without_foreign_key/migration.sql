-- DropForeignKey
ALTER TABLE "plan_items" DROP CONSTRAINT "plan_items_plan_id_fkey";
