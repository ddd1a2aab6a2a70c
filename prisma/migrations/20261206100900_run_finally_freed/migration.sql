-- AlterTable
ALTER TABLE "purge_runs" ADD COLUMN     "finally_freed" BIGINT NOT NULL DEFAULT 0;
