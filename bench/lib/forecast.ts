import type { Db } from "../../server/db";
import { DEFAULT_SETTINGS, type EngineSettings } from "../../server/retention/deps";
import { holdPairs, markDirty } from "../../server/retention/forecast/dirty-pairs";
import { refreshDirtyPairs } from "../../server/retention/forecast/incremental";
import { refreshForecast } from "../../server/retention/forecast/snapshot";

/** The app's settings on the bench: its defaults, no RETENTION_* overrides. */
export const BENCH_SETTINGS: EngineSettings = { ...DEFAULT_SETTINGS, policy: {} };

/** A forecast snapshot newer than the latest one, computed in this process; its id. */
export async function refreshSnapshot(db: Db) {
  const [latest] = await db.$queryRaw<{ id: number | null }[]>`
    SELECT max(id)::int AS id FROM forecast_snapshots`;
  return refreshForecast(db, BENCH_SETTINGS, new Date(), { newerThan: latest?.id ?? 0 });
}

/** The org with the most items due in the snapshot: the costliest one to recompute. */
export async function largestOrg(db: Db, snapshotId: number) {
  const [org] = await db.$queryRaw<{ id: number; items: number }[]>`
    SELECT org_id AS id, sum(items)::int AS items FROM forecast_days
    WHERE snapshot_id = ${snapshotId} GROUP BY org_id ORDER BY 2 DESC LIMIT 1`;
  if (!org) throw new Error("The forecast has nothing due: seed the bench dataset first.");
  return org;
}

/**
 * An incremental refresh after a one-org purge of every category: the
 * org's pairs marked as that run's end marks them (all of them, as an org
 * hold does), then recomputed into the snapshot. Its id.
 */
export async function refreshAfterOnePurge(db: Db, orgId: number) {
  await db.$transaction((tx) =>
    markDirty(tx, holdPairs({ scope: "ORG", orgId, incidentId: null, artifactId: null })),
  );
  return refreshDirtyPairs(db, BENCH_SETTINGS, new Date());
}
