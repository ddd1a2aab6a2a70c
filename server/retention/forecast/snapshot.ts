import { createHash } from "node:crypto";
import type { Db } from "../../db";
import { rowCategories } from "../categories";
import type { EngineSettings } from "../deps";
import { backupKeep } from "../policy/effective-window";
import { sql, type Sql, type Tx } from "../sql";
import { windowsRelation } from "../policy/org-windows";
import {
  loadOverrides,
  windowsFor,
  type OverrideLookup,
  type ScopedOrg,
} from "../policy/org-windows";

/** The horizons the console offers; a snapshot covers the longest whole. */
export const HORIZONS = [7, 30, 90] as const;
export const FORECAST_DAYS = 90;
/** A snapshot this old is redone: new rows keep arriving in the governed tables. */
const FRESH_MS = 5 * 60_000;
/** A refresh that took at most this long is redone inline; a longer one in the background. */
const INLINE_REFRESH_MS = 2_000;
const LOCK = "lethe:forecast";
const DAY_MS = 86_400_000;

export type ForecastSnapshotRef = {
  id: number;
  asOf: Date;
  /** True while a newer snapshot is being computed and this older one is served. */
  refreshing: boolean;
};

/** Schedules work after the response (Next's `after`); tests and scripts run it at once. */
export type Background = (work: () => Promise<unknown>) => void;

const startOfUtcDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

const policyKey = (settings: EngineSettings) =>
  createHash("sha256").update(JSON.stringify(settings.policy)).digest("hex");

/**
 * What falls due per (org, category, day) from `asOf` through the end of
 * the FORECAST_DAYS-th day ahead: each category's eligibility query with
 * the cutoff moved to that moment. Items already eligible count on today
 * (the next run takes them). Orphan objects live in the bucket, not in
 * rows, and are not forecast.
 */
function dueRows(
  settings: EngineSettings,
  orgs: ScopedOrg[],
  overrides: OverrideLookup,
  asOf: Date,
): Sql | null {
  const horizonEnd = startOfUtcDay(asOf);
  const parts = rowCategories()
    .map((category) => {
      const windows = windowsFor(
        category,
        orgs,
        settings.policy,
        overrides,
        horizonEnd,
        FORECAST_DAYS + 1,
      );
      if (windows.length === 0) return null;
      // Counted per org and day right here, so millions of items become a
      // few thousand rows before the union. The OFFSET 0 fence stops the
      // planner from sizing the day groups by the timestamps' millions of
      // distinct values (which makes it sort every item to group them).
      return sql`(
        SELECT org_id, ${category.key}::text AS category, day, count(*)::int AS items,
               coalesce(sum(bytes), 0)::bigint AS bytes
        FROM (
          WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)}
          SELECT e.org_id, e.bytes,
                 greatest(e.aged_at + make_interval(days => w.days), ${asOf}::timestamptz)::date AS day
          FROM (${category.eligible({ windows: sql`windows`, keepNewest: backupKeep(settings.policy) })}) e
          JOIN windows w ON w.org_id = e.org_id
          OFFSET 0
        ) items
        GROUP BY org_id, day)`;
    })
    .filter((part): part is Sql => part !== null);
  if (parts.length === 0) return null;
  return parts.reduce((acc, p) => sql`${acc} UNION ALL ${p}`);
}

/**
 * The two summaries most views read: the calendar per plan × category × day,
 * and the table per org × category for each horizon, so a fleet-wide page
 * groups thousands of rows instead of every org's days.
 */
async function summarize(tx: Tx, snapshotId: number, asOf: Date) {
  await tx.$executeRaw(sql`
    INSERT INTO forecast_calendar_days (snapshot_id, plan, category, day, items, bytes)
    SELECT snapshot_id, plan, category, day, sum(items)::int, sum(bytes)::bigint
    FROM forecast_days WHERE snapshot_id = ${snapshotId}
    GROUP BY snapshot_id, plan, category, day`);
  await tx.$executeRaw(sql`
    INSERT INTO forecast_totals (snapshot_id, horizon_days, org_id, plan, category, items, bytes, first_day, last_day)
    SELECT f.snapshot_id, h.days, f.org_id, f.plan, f.category, sum(f.items)::int, sum(f.bytes)::bigint,
           min(f.day), max(f.day)
    FROM forecast_days f
    JOIN unnest(${[...HORIZONS]}::int[]) AS h(days) ON f.day <= (${asOf}::timestamptz)::date + h.days
    WHERE f.snapshot_id = ${snapshotId}
    GROUP BY f.snapshot_id, h.days, f.org_id, f.plan, f.category`);
}

/**
 * Computes a new snapshot at `asOf` in one transaction, under a lock so two
 * refreshes never run at once. A caller that finds a snapshot newer than
 * `newerThan` once it holds the lock takes that one instead of computing
 * the same again; with `wait: false` it gives up at once (null) when
 * another refresh holds the lock. Older snapshots are dropped after the new
 * one commits, so readers never wait on the swap.
 */
export async function refreshForecast(
  db: Db,
  settings: EngineSettings,
  asOf: Date,
  options: { newerThan?: number; wait?: boolean } = {},
): Promise<number | null> {
  const started = performance.now();
  const orgs = await db.organization.findMany({ select: { id: true, plan: true, name: true } });
  const overrides = await loadOverrides(db, null);
  const id = await db.$transaction(
    async (tx) => {
      if (options.wait === false) {
        const [lock] = await tx.$queryRaw<{ taken: boolean }[]>(
          sql`SELECT pg_try_advisory_xact_lock(hashtext(${LOCK})) AS taken`,
        );
        if (!lock?.taken) return null;
      } else {
        await tx.$executeRaw(sql`SELECT pg_advisory_xact_lock(hashtext(${LOCK}))`);
      }
      const [newest] = await tx.$queryRaw<{ id: number }[]>(
        sql`SELECT max(id)::int AS id FROM forecast_snapshots`,
      );
      if (newest?.id && newest.id > (options.newerThan ?? 0)) return newest.id;
      await tx.$executeRaw(sql`SELECT set_config('statement_timeout', '0', true)`);
      // Days are UTC days, whatever the server's time zone: the reads count them so.
      await tx.$executeRaw(sql`SELECT set_config('TimeZone', 'UTC', true)`);
      const snapshot = await tx.forecastSnapshot.create({
        data: { asOf, policyKey: policyKey(settings) },
      });
      const due = dueRows(settings, orgs, overrides, asOf);
      if (due) {
        await tx.$executeRaw(sql`
          INSERT INTO forecast_days (snapshot_id, org_id, plan, category, day, items, bytes)
          SELECT ${snapshot.id}, d.org_id, o.plan, d.category::"RetentionCategory", d.day, d.items, d.bytes
          FROM (${due}) d JOIN organizations o ON o.id = d.org_id`);
        await summarize(tx, snapshot.id, asOf);
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

/** What the forecast was computed from changed (a run ended, an override, a hold): redo it on next read. */
export async function markForecastStale(tx: Tx) {
  await tx.$executeRaw(sql`UPDATE forecast_snapshots SET stale_at = now() WHERE stale_at IS NULL`);
}

/**
 * The snapshot to answer from at `now`. A fresh one is served as it is. A
 * stale one is redone inline when that is quick (a small fleet always sees
 * its latest state); when the last refresh took longer, the stale one is
 * served, marked `refreshing`, while the new one is computed in the
 * background, so no page waits the seconds a fleet-wide forecast takes.
 */
export async function currentForecast(
  db: Db,
  settings: EngineSettings,
  now: Date,
  background: Background,
): Promise<ForecastSnapshotRef> {
  const latest = await db.forecastSnapshot.findFirst({ orderBy: { id: "desc" } });
  if (latest) {
    const age = now.getTime() - latest.asOf.getTime();
    const fresh =
      !latest.staleAt &&
      latest.policyKey === policyKey(settings) &&
      age >= 0 &&
      age < FRESH_MS &&
      startOfUtcDay(latest.asOf).getTime() === startOfUtcDay(now).getTime();
    if (fresh) return { id: latest.id, asOf: latest.asOf, refreshing: false };
    if (latest.computedMs > INLINE_REFRESH_MS) {
      background(() => refreshForecast(db, settings, now, { newerThan: latest.id, wait: false }));
      return { id: latest.id, asOf: latest.asOf, refreshing: true };
    }
  }
  const id = await refreshForecast(db, settings, now, { newerThan: latest?.id ?? 0 });
  const snapshot = await db.forecastSnapshot.findUniqueOrThrow({ where: { id: id ?? 0 } });
  return { id: snapshot.id, asOf: snapshot.asOf, refreshing: false };
}
