-- A sweep is a stretch of its category's manifest across every org of its
-- run. The one-org sweeps that 20261204191735_purge_sweeps made of the
-- drift-check tasks of runs then in flight become such stretches, so that no
-- code keeps a second kind of sweep; their column goes.
--
-- The plan of such a run was written one statement per category, in org then
-- item order: each org's items of a category are consecutive plan item ids.
-- A one-org sweep that starts at its org's first item it has left therefore
-- holds that org's items alone, and works them as before. Anything else is
-- refused rather than guessed at.
UPDATE "purge_sweeps" s
SET "first_item" = n."first_item",
    "settled_through" = greatest(s."settled_through", n."first_item" - 1)
FROM (
  SELECT o."id", coalesce((
    SELECT min(p."id") FROM "plan_items" p
    WHERE p."plan_id" = r."plan_id" AND p."org_id" = o."org_id" AND p."category" = o."category"
      AND p."id" >= o."first_item"), o."last_item" + 1) AS "first_item"
  FROM "purge_sweeps" o JOIN "purge_runs" r ON r."id" = o."run_id"
  WHERE o."org_id" IS NOT NULL AND o."status" IN ('PENDING', 'RUNNING')
) n
WHERE n."id" = s."id";

DO $$
DECLARE
  stray RECORD;
BEGIN
  SELECT s."id", s."run_id" INTO stray
  FROM "purge_sweeps" s JOIN "purge_runs" r ON r."id" = s."run_id"
  WHERE s."org_id" IS NOT NULL AND s."status" IN ('PENDING', 'RUNNING')
    AND EXISTS (
      SELECT 1 FROM "plan_items" p
      WHERE p."plan_id" = r."plan_id" AND p."category" = s."category"
        AND p."id" BETWEEN s."first_item" AND s."last_item" AND p."org_id" <> s."org_id")
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'Sweep % of purge run % works one organization whose items are not consecutive in its plan. Finish that run with the Lethe release before this one (npm run worker), then migrate again.', stray."id", stray."run_id";
  END IF;
END $$;

ALTER TABLE "purge_sweeps" DROP COLUMN "org_id";

-- A drift-check task is its org's account in a run; sweeps do its work, and
-- no worker takes it. Jobs queued for such tasks before sweeps existed go.
-- (A new database has no queue yet: db:migrate installs it after this.)
DO $$
BEGIN
  IF to_regclass('pgboss.job') IS NOT NULL THEN
    DELETE FROM pgboss.job j USING "purge_tasks" t
    WHERE j.name = 'lethe-purge-task' AND j.state IN ('created', 'retry', 'active')
      AND j.data ->> 'taskId' = t."id"::text AND t."category" = 'DRIFT_CHECKS';
  END IF;
END $$;
