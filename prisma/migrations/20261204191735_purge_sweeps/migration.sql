-- Drift checks are purged by sweeps: a run's drift-check items are worked in
-- item order across every org (see PurgeSweep in schema.prisma), no longer by
-- one task per org.
-- CreateTable
CREATE TABLE "purge_sweeps" (
    "id" SERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "org_id" INTEGER,
    "first_item" BIGINT NOT NULL,
    "last_item" BIGINT NOT NULL,
    "settled_through" BIGINT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'PENDING',
    "batches" INTEGER NOT NULL DEFAULT 0,
    "deleted" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "bytes_freed" BIGINT NOT NULL DEFAULT 0,
    "longest_batch_ms" INTEGER NOT NULL DEFAULT 0,
    "window_org_ids" INTEGER[],
    "window_days" INTEGER[],
    "window_cutoffs" TIMESTAMP(3)[],
    "failed_orgs" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMP(3),
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "purge_sweeps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "purge_sweeps_run_id_category_status_idx" ON "purge_sweeps"("run_id", "category", "status");

-- AddForeignKey
ALTER TABLE "purge_sweeps" ADD CONSTRAINT "purge_sweeps_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "purge_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Room on each page for a task's new row version, so that a batch or a sweep
-- updating its counters does not write to every index of the table.
ALTER TABLE "purge_tasks" SET (fillfactor = 70);

-- A drift-check task still open in a run in flight is taken over by a sweep of
-- its own org's items, from where the task stopped. Taking the task's lease
-- waits for a batch of the engine before this one to commit, and stops that
-- engine's next batch (the task is no longer its own); its counters and
-- manifest carry on from there when the sweep is folded into it.
WITH taken AS (
  UPDATE "purge_tasks" t SET "lease_owner" = NULL, "lease_until" = NULL
  FROM "purge_runs" r
  WHERE r."id" = t."run_id" AND r."status" = 'RUNNING'
    AND t."category" = 'DRIFT_CHECKS' AND t."status" IN ('PENDING', 'RUNNING')
  RETURNING t."run_id", t."org_id", t."category", t."settled_through", r."plan_id"
)
INSERT INTO "purge_sweeps" ("run_id", "category", "org_id", "first_item", "last_item", "settled_through")
SELECT t."run_id", t."category", t."org_id", t."settled_through" + 1,
       coalesce((SELECT max(p."id") FROM "plan_items" p
                 WHERE p."plan_id" = t."plan_id" AND p."org_id" = t."org_id" AND p."category" = t."category"), 0),
       t."settled_through"
FROM taken t;
