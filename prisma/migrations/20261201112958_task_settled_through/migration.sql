-- A task now tracks its progress by a cursor over its manifest (items are
-- worked in id order), so a batch no longer rewrites each deleted item's row.
-- Items a run set aside keep why; what was deleted is in manifest_batches.
CREATE TYPE "ItemSetAside" AS ENUM ('SKIPPED', 'FAILED');

ALTER TABLE "plan_items" ADD COLUMN "set_aside" "ItemSetAside";
ALTER TABLE "purge_tasks" ADD COLUMN "settled_through" BIGINT NOT NULL DEFAULT 0;

UPDATE "plan_items" SET "set_aside" = "state"::text::"ItemSetAside"
WHERE "state" IN ('SKIPPED', 'FAILED');

-- Batches took the lowest pending ids first, so a task has settled exactly
-- the items up to the highest one that is no longer pending.
UPDATE "purge_tasks" t SET "settled_through" = s.through
FROM (
  SELECT r.id AS run_id, p.org_id, p.category, max(p.id) AS through
  FROM "plan_items" p JOIN "purge_runs" r ON r.plan_id = p.plan_id
  WHERE p."state" <> 'PENDING'
  GROUP BY r.id, p.org_id, p.category
) s
WHERE t.run_id = s.run_id AND t.org_id = s.org_id AND t.category = s.category;

ALTER TABLE "plan_items" DROP COLUMN "state";
DROP TYPE "PlanItemState";
