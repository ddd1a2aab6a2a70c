-- A final deletion deletes the kept rows it took (a window batch stays as
-- their evidence) and marks its batch in final_deletion_marks, instead of
-- updating each kept row twice.

-- Each window batch names the run that kept its items: a restore's run, or
-- the run of the kept rows a final deletion took (one batch, one org ×
-- category; its first item tells the run).
ALTER TABLE "window_batches" ADD COLUMN "kept_by_run_id" TEXT;

UPDATE "window_batches" w SET "kept_by_run_id" = s."run_id"
FROM "restores" s WHERE w."restore_id" = s."id";

UPDATE "window_batches" w SET "kept_by_run_id" = k."run_id"
FROM "kept_items" k
WHERE w."kept_by_run_id" IS NULL AND k."final_run_id" = w."final_run_id"
  AND k."finally_deleted_at" IS NOT NULL AND k."org_id" = w."org_id"
  AND k."category" = w."category" AND k."item_id"::text = w."item_ids"[1];

ALTER TABLE "window_batches" ALTER COLUMN "kept_by_run_id" SET NOT NULL;

CREATE TABLE "final_deletion_marks" (
    "id" BIGSERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "kept_ids" BIGINT[],
    "marked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "final_deletion_marks_pkey" PRIMARY KEY ("id")
);

-- Items marked but not yet finally deleted stay marked; finally deleted ones go.
INSERT INTO "final_deletion_marks" ("run_id", "kept_ids")
SELECT "final_run_id", array_agg("id" ORDER BY "id") FROM "kept_items"
WHERE "final_run_id" IS NOT NULL AND "finally_deleted_at" IS NULL
GROUP BY "final_run_id";

DELETE FROM "kept_items" WHERE "finally_deleted_at" IS NOT NULL;

DROP INDEX "kept_items_finally_deleted_at_restored_at_id_idx";

ALTER TABLE "kept_items" DROP COLUMN "final_run_id",
DROP COLUMN "finally_deleted_at";

CREATE INDEX "kept_items_restored_at_id_idx" ON "kept_items"("restored_at", "id");

CREATE INDEX "window_batches_kept_by_run_id_org_id_category_idx" ON "window_batches"("kept_by_run_id", "org_id", "category");
