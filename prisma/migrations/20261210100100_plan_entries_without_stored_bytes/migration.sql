-- AlterTable
ALTER TABLE "plan_entries" DROP COLUMN "total_bytes";
