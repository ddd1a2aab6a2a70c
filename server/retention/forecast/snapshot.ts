import { createHash } from "node:crypto";
import type { Db } from "../../db";
import type { EngineSettings } from "../deps";
import { loadOverrides } from "../policy/org-windows";
import { sql } from "../sql";
import {
  insertDays,
  lockForRefresh,
  startOfUtcDay,
  summarizeCalendar,
  summarizeTotals,
} from "./compute";
import { dirtyOrgCount, takeMarks } from "./dirty-pairs";
import { refreshDirtyPairs } from "./incremental";

/** A refresh that took at most this long is redone inline; a longer one in the background. */
const INLINE_REFRESH_MS = 2_000;
/**
 * The governed tables change on their own too (new rows, incidents closing,
 * errors resolved), which no dirty pair records: a full refresh reads them
 * again once the snapshot is older than this many times what it took, and
 * at least every FULL_REFRESH_MIN_AGE_MS. So re-reading the fleet costs the
 * database about 1 % of its time while anyone reads the forecast, whatever
 * the fleet's size, and a small fleet stays minutes fresh.
 */
const FULL_REFRESH_COST_RATIO = 100;
const FULL_REFRESH_MIN_AGE_MS = 5 * 60_000;
/**
 * With more of the fleet's orgs dirty than this (after the daily run), one
 * full refresh reads the tables once, where recomputing each org would
 * look up most of them one by one.
 */
const INCREMENTAL_MAX_SHARE = 0.25;

export type ForecastSnapshotRef = {
  id: number;
  /** When its full refresh read the governed tables. */
  asOf: Date;
  /** When an incremental refresh last brought runs, overrides and holds into it. */
  amendedAt: Date | null;
  /** True while a newer snapshot, or its dirty pairs, are being computed and this one is served. */
  refreshing: boolean;
};

/** Schedules work after the response (Next's `after`); tests and scripts run it at once. */
export type Background = (work: () => Promise<unknown>) => void;

const policyKey = (settings: EngineSettings) =>
  createHash("sha256").update(JSON.stringify(settings.policy)).digest("hex");

/**
 * A full refresh: computes a new snapshot at `asOf` in one transaction,
 * under the refresh lock. A caller that finds a snapshot newer than
 * `newerThan` once it holds the lock takes that one instead of computing
 * the same again; with `wait: false` it gives up at once (null) when
 * another refresh holds the lock. It takes the dirty marks before it reads
 * the governed tables: what they stand for is in it. Older
 * snapshots are dropped after the new one commits, so readers never wait
 * on the swap.
 */
export async function refreshForecast(
  db: Db,
  settings: EngineSettings,
  asOf: Date,
  options: { newerThan?: number; wait?: boolean } = {},
): Promise<number | null> {
  const started = performance.now();
  const id = await db.$transaction(
    async (tx) => {
      if (!(await lockForRefresh(tx, options.wait !== false))) return null;
      const [newest] = await tx.$queryRaw<{ id: number }[]>(
        sql`SELECT max(id)::int AS id FROM forecast_snapshots`,
      );
      if (newest?.id && newest.id > (options.newerThan ?? 0)) return newest.id;
      // A full refresh recomputes every pair, the marked ones included.
      await takeMarks(tx);
      const orgs = await tx.organization.findMany({ select: { id: true, plan: true, name: true } });
      const overrides = await loadOverrides(tx, null);
      const snapshot = await tx.forecastSnapshot.create({
        data: { asOf, policyKey: policyKey(settings) },
      });
      const insert = insertDays(snapshot.id, settings, () => orgs, overrides, asOf);
      if (insert) {
        await tx.$executeRaw(insert);
        await summarizeCalendar(tx, snapshot.id);
        await summarizeTotals(tx, snapshot.id, asOf, null);
      }
      await tx.forecastSnapshot.update({
        where: { id: snapshot.id },
        data: { computedMs: Math.round(performance.now() - started) },
      });
      return snapshot.id;
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
  if (id !== null) {
    await db.$executeRaw(sql`DELETE FROM forecast_snapshots WHERE id < ${id}`);
    // Fresh statistics, or the planner takes 100,000 summary rows for 8 and
    // probes the org of each one by one instead of hashing the orgs.
    await db.$executeRaw(sql`ANALYZE forecast_days, forecast_calendar_days, forecast_totals`);
  }
  return id;
}

type Snapshot = { id: number; asOf: Date; amendedAt: Date | null; computedMs: number };

const served = (s: Snapshot, refreshing: boolean): ForecastSnapshotRef => ({
  id: s.id,
  asOf: s.asOf,
  amendedAt: s.amendedAt,
  refreshing,
});

/** A new day, another policy from the environment, or governed tables read too long ago. */
function fullRefreshDue(
  latest: Snapshot & { policyKey: string },
  settings: EngineSettings,
  now: Date,
) {
  const age = now.getTime() - latest.asOf.getTime();
  return (
    latest.policyKey !== policyKey(settings) ||
    age < 0 ||
    age >= Math.max(FULL_REFRESH_MIN_AGE_MS, latest.computedMs * FULL_REFRESH_COST_RATIO) ||
    startOfUtcDay(latest.asOf).getTime() !== startOfUtcDay(now).getTime()
  );
}

/**
 * The snapshot to answer from at `now`. Its dirty pairs (what runs,
 * overrides and holds changed since) are recomputed first, inline when
 * that is quick: the org or two an admin just changed take milliseconds at
 * any fleet size. A full refresh is due on a new day, with another policy,
 * or when the governed tables were read too long ago; it too runs inline
 * when quick (a small fleet always sees its latest state). Anything slower
 * runs in the background while this snapshot is served, marked
 * `refreshing`, so no page waits the seconds a fleet-wide forecast takes.
 */
export async function currentForecast(
  db: Db,
  settings: EngineSettings,
  now: Date,
  background: Background,
): Promise<ForecastSnapshotRef> {
  const latest = await db.forecastSnapshot.findFirst({ orderBy: { id: "desc" } });
  if (latest && !fullRefreshDue(latest, settings, now)) {
    const dirty = await dirtyOrgCount(db);
    if (dirty === 0) return served(latest, false);
    const orgs = await db.organization.count();
    if (dirty <= orgs * INCREMENTAL_MAX_SHARE) {
      // About the full refresh's time, shared out over the orgs recomputed.
      if ((latest.computedMs * dirty) / orgs > INLINE_REFRESH_MS) {
        background(() => refreshDirtyPairs(db, settings, now, { wait: false }));
        return served(latest, true);
      }
      // Another read's refresh of the same pairs is as quick: waiting for it lets a page's
      // queries, sent together, answer from the same amended snapshot (a table and its totals).
      const amended = await refreshDirtyPairs(db, settings, now, { wait: INLINE_REFRESH_MS });
      // Null: a longer refresh holds the lock, and this or the next read brings them in.
      if (amended === null) return served(latest, true);
      return served(await db.forecastSnapshot.findUniqueOrThrow({ where: { id: amended } }), false);
    }
  }
  if (latest && latest.computedMs > INLINE_REFRESH_MS) {
    background(() => refreshForecast(db, settings, now, { newerThan: latest.id, wait: false }));
    return served(latest, true);
  }
  const id = await refreshForecast(db, settings, now, { newerThan: latest?.id ?? 0 });
  return served(await db.forecastSnapshot.findUniqueOrThrow({ where: { id: id ?? 0 } }), false);
}
