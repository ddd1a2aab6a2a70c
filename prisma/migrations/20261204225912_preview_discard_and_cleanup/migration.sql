-- AlterEnum
ALTER TYPE "PlanStatus" ADD VALUE 'DISCARDED';

-- AlterTable
ALTER TABLE "purge_plans" ADD COLUMN     "discarded_at" TIMESTAMP(3),
ADD COLUMN     "manifest_removed_at" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "purge_plans_status_expires_at_idx" ON "purge_plans"("status", "expires_at");
