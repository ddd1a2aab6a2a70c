-- DropIndex
DROP INDEX "kept_items_restorable_until_idx";

-- CreateIndex
CREATE INDEX "kept_items_finally_deleted_at_restored_at_id_idx" ON "kept_items"("finally_deleted_at", "restored_at", "id");
