-- AlterTable
ALTER TABLE "purge_plans" ADD COLUMN     "created_by_token_id" INTEGER;

-- AlterTable
ALTER TABLE "purge_runs" ADD COLUMN     "started_by_token_id" INTEGER;

-- CreateIndex
CREATE INDEX "audit_log_actor_id_idx" ON "audit_log"("actor_id");

-- CreateIndex
CREATE INDEX "audit_log_target_idx" ON "audit_log"("target");

-- CreateIndex
CREATE INDEX "purge_tasks_org_id_run_id_idx" ON "purge_tasks"("org_id", "run_id");
