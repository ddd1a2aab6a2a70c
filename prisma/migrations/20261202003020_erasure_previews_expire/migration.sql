-- DropIndex
DROP INDEX "purge_plans_erasure_id_key";

-- CreateIndex
CREATE INDEX "purge_plans_erasure_id_idx" ON "purge_plans"("erasure_id");
