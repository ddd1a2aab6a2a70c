import type { RetentionCategory } from "../../generated/prisma/enums";
import { rowCategories } from "../categories";
import type { EngineSettings } from "../deps";
import { backupKeep } from "../policy/effective-window";
import {
  windowsFor,
  windowsRelation,
  type OverrideLookup,
  type ScopedOrg,
} from "../policy/org-windows";
import { pinnedUntilOf } from "../policy/pin-rules";
import { raw, sql, type Sql, type Tx } from "../sql";
import { noticePeriodOn, periodDaySql } from "../notices/period";

/** The horizons the console offers; a snapshot covers the longest whole. */
export const HORIZONS = [7, 30, 90] as const;
export const FORECAST_DAYS = 90;
const LOCK = "lethe:forecast";
const DAY_MS = 86_400_000;

/** How often a bounded wait for the refresh lock tries it again. */
const LOCK_RETRY_MS = 50;

export const startOfUtcDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

/**
 * The lock every refresh of the forecast takes, full or incremental, so two
 * never compute at once (two incremental ones would both apply the same
 * pairs' changes to the summaries). `wait: false` gives up at once (false)
 * when another refresh holds it, a number of milliseconds after trying that
 * long. Then sets what a refresh needs: no statement timeout, and days that
 * are UTC days, whatever the server's time zone (the reads count them so).
 */
export async function lockForRefresh(tx: Tx, wait: boolean | number): Promise<boolean> {
  if (wait === true) {
    await tx.$executeRaw(sql`SELECT pg_advisory_xact_lock(hashtext(${LOCK}))`);
  } else {
    const until = Date.now() + (wait === false ? 0 : wait);
    for (;;) {
      const [lock] = await tx.$queryRaw<{ taken: boolean }[]>(
        sql`SELECT pg_try_advisory_xact_lock(hashtext(${LOCK})) AS taken`,
      );
      if (lock?.taken) break;
      if (Date.now() >= until) return false;
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }
  await tx.$executeRaw(sql`SELECT set_config('statement_timeout', '0', true)`);
  await tx.$executeRaw(sql`SELECT set_config('TimeZone', 'UTC', true)`);
  return true;
}

/**
 * What falls due per (org, category, day) from `asOf` through the end of
 * the FORECAST_DAYS-th day ahead, for the orgs `orgsOf` gives each
 * category: each category's eligibility query with the cutoff moved to that
 * moment. Items already eligible count on today (the next run takes them).
 * Orphan objects live in the bucket, not in rows, and are not forecast.
 * Only the UTC day of `asOf` matters: a snapshot is the same whenever in
 * its day it is computed, from the same rows.
 */
function dueRows(
  settings: EngineSettings,
  orgsOf: (category: RetentionCategory) => ScopedOrg[],
  overrides: OverrideLookup,
  asOf: Date,
): Sql | null {
  const horizonEnd = startOfUtcDay(asOf);
  const parts = rowCategories()
    .map((category) => {
      const windows = windowsFor(
        category,
        orgsOf(category.key),
        settings.policy,
        overrides,
        horizonEnd,
        FORECAST_DAYS + 1,
      );
      if (windows.length === 0) return null;
      // A pinned item falls due on its pin's date (the window's end leaves
      // out those pinned beyond it).
      const pin = pinnedUntilOf(category.key);
      const held = orgsOf(category.key)
        .filter((o) => noticePeriodOn(settings.policy, o.plan))
        .map((o) => o.id);
      const period = periodDaySql(category.key, held, asOf);
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
                 greatest(e.aged_at + make_interval(days => w.days), ${asOf}::timestamptz,
                          ${pin.until}, ${period?.day ?? sql`NULL::timestamptz`})::date AS day
          FROM (${category.eligible({ windows: sql`windows`, keepNewest: backupKeep(settings.policy) })}) e
          JOIN windows w ON w.org_id = e.org_id
          ${pin.join}
          ${period ? sql`LEFT JOIN ${period.hearing} p ON p.org_id = e.org_id` : sql``}
          OFFSET 0
        ) items
        GROUP BY org_id, day)`;
    })
    .filter((part): part is Sql => part !== null);
  if (parts.length === 0) return null;
  return parts.reduce((acc, p) => sql`${acc} UNION ALL ${p}`);
}

/**
 * The snapshot's org × category × day rows of these orgs as an INSERT,
 * each with its org's plan now (the one its windows came from); null when
 * no category has a window for any of them.
 */
export function insertDays(
  snapshotId: number,
  settings: EngineSettings,
  orgsOf: (category: RetentionCategory) => ScopedOrg[],
  overrides: OverrideLookup,
  asOf: Date,
): Sql | null {
  const due = dueRows(settings, orgsOf, overrides, asOf);
  if (!due) return null;
  return sql`
    INSERT INTO forecast_days (snapshot_id, org_id, plan, category, day, items, bytes)
    SELECT ${snapshotId}, d.org_id, o.plan, d.category::"RetentionCategory", d.day, d.items, d.bytes
    FROM (${due}) d JOIN organizations o ON o.id = d.org_id`;
}

/**
 * The relation of (org_id, category) pairs these arrays hold, as `p`; null
 * arrays mean the whole snapshot.
 */
export type PairFilter = { orgIds: number[]; categories: RetentionCategory[] } | null;

const ofPairs = (alias: string, pairs: PairFilter) =>
  pairs
    ? sql`AND (${raw(alias)}.org_id, ${raw(alias)}.category) IN (
        SELECT * FROM unnest(${pairs.orgIds}::int[], ${pairs.categories}::"RetentionCategory"[]))`
    : sql``;

/**
 * The table summary: forecast_days summed over days per org × category for
 * each horizon, so a fleet-wide page groups thousands of rows instead of
 * every org's days. With `pairs`, only theirs, replaced.
 */
export async function summarizeTotals(tx: Tx, snapshotId: number, asOf: Date, pairs: PairFilter) {
  if (pairs)
    await tx.$executeRaw(sql`
      DELETE FROM forecast_totals t WHERE t.snapshot_id = ${snapshotId} ${ofPairs("t", pairs)}`);
  await tx.$executeRaw(sql`
    INSERT INTO forecast_totals (snapshot_id, horizon_days, org_id, plan, category, items, bytes, first_day, last_day)
    SELECT f.snapshot_id, h.days, f.org_id, f.plan, f.category, sum(f.items)::int, sum(f.bytes)::bigint,
           min(f.day), max(f.day)
    FROM forecast_days f
    JOIN unnest(${[...HORIZONS]}::int[]) AS h(days) ON f.day <= (${asOf}::timestamptz)::date + h.days
    WHERE f.snapshot_id = ${snapshotId} ${ofPairs("f", pairs)}
    GROUP BY f.snapshot_id, h.days, f.org_id, f.plan, f.category`);
}

/** The calendar summary, whole: forecast_days summed over orgs per plan × category × day. */
export async function summarizeCalendar(tx: Tx, snapshotId: number) {
  await tx.$executeRaw(sql`
    INSERT INTO forecast_calendar_days (snapshot_id, plan, category, day, items, bytes)
    SELECT snapshot_id, plan, category, day, sum(items)::int, sum(bytes)::bigint
    FROM forecast_days WHERE snapshot_id = ${snapshotId}
    GROUP BY snapshot_id, plan, category, day`);
}

/**
 * Adds `sign` times the day rows of `changed` (a CTE of forecast_days rows
 * just deleted or inserted) to the calendar summary: the rows an
 * incremental refresh replaced move the calendar by exactly what they
 * changed, without summing the fleet's rows again.
 */
export const addToCalendar = (snapshotId: number, changed: string, sign: 1 | -1) => sql`
  INSERT INTO forecast_calendar_days AS c (snapshot_id, plan, category, day, items, bytes)
  SELECT ${snapshotId}, plan, category, day, ${sign}::int * sum(items)::int, ${sign}::bigint * sum(bytes)::bigint
  FROM ${raw(changed)} GROUP BY plan, category, day
  ON CONFLICT (snapshot_id, plan, category, day)
  DO UPDATE SET items = c.items + excluded.items, bytes = c.bytes + excluded.bytes`;
