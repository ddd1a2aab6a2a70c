-- A sweep's windows are indexed by org id (from window_first_org) instead of
-- listed beside their org ids: a batch reads its orgs' windows by subscript.
-- They are re-read whenever a worker takes a sweep, so the old lists are
-- simply cleared.
ALTER TABLE "purge_sweeps" DROP COLUMN "window_org_ids",
ADD COLUMN "window_first_org" INTEGER;
UPDATE "purge_sweeps" SET "window_days" = NULL, "window_cutoffs" = NULL;
