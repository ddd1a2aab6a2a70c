-- AlterTable
ALTER TABLE "purge_tasks" ADD COLUMN     "longest_batch_ms" INTEGER NOT NULL DEFAULT 0;
