-- CreateEnum
CREATE TYPE "ReviewReason" AS ENUM ('VOLUME', 'SHRUNK_WINDOW');

-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('APPROVED', 'REJECTED');

-- AlterEnum
ALTER TYPE "TaskStatus" ADD VALUE 'NEEDS_REVIEW';

-- AlterTable
ALTER TABLE "purge_sweeps" ADD COLUMN     "guarded_orgs" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- AlterTable
ALTER TABLE "purge_tasks" ADD COLUMN     "baseline" INTEGER,
ADD COLUMN     "history_runs" INTEGER,
ADD COLUMN     "more_items" INTEGER,
ADD COLUMN     "review_decision" "ReviewDecision",
ADD COLUMN     "review_reason" "ReviewReason",
ADD COLUMN     "reviewed_at" TIMESTAMP(3),
ADD COLUMN     "reviewed_by_id" INTEGER,
ADD COLUMN     "window_was" INTEGER;

-- CreateIndex
CREATE INDEX "purge_tasks_status_idx" ON "purge_tasks"("status");
