-- Until now a request became EXECUTED when its run ended, whatever the run
-- did. Those whose run did not erase everything become INCOMPLETE, with why,
-- so that they show as such and can be previewed and approved again. A data
-- backfill, which Prisma cannot express; apart from the previous migration
-- because a new enum value cannot be used in the transaction that adds it.

-- The run failed, or passed items by, or did not reach all of its preview.
UPDATE "erasure_requests" e
SET "status" = 'INCOMPLETE',
    "incomplete_reason" = CASE WHEN r."deleted" = 0 THEN 'nothing was erased: ' ELSE '' END
      || format('run %s: %s of %s artifacts erased, %s skipped, %s failed',
                r."status", r."deleted", r."items_total", r."skipped", r."failed")
FROM "purge_runs" r
WHERE r."id" = e."run_id" AND e."status" = 'EXECUTED'
  AND (r."status" <> 'SUCCEEDED' OR r."skipped" > 0 OR r."failed" > 0 OR r."deleted" < r."items_total");

-- The preview found nothing (its org was on legal hold) while artifacts of
-- the request's scope are still there.
UPDATE "erasure_requests" e
SET "status" = 'INCOMPLETE',
    "incomplete_reason" = format('nothing was erased: its preview found no artifacts, and %s remain', (
      SELECT count(*) FROM "artifacts" a
      WHERE a."org_id" = e."org_id" AND (e."scope" = 'ORGANIZATION' OR a."member_id" = e."scope_member_id")))
FROM "purge_runs" r
WHERE r."id" = e."run_id" AND e."status" = 'EXECUTED' AND r."items_total" = 0
  AND EXISTS (SELECT 1 FROM "artifacts" a
              WHERE a."org_id" = e."org_id" AND (e."scope" = 'ORGANIZATION' OR a."member_id" = e."scope_member_id"));
