import type { Db } from "../../db";
import type { Plan, RetentionCategory } from "../../generated/prisma/enums";
import { isoDay } from "../../calendar-day";
import { addDays } from "../policy/effective-window";
import { HORIZONS } from "./compute";
import type { ForecastSnapshotRef } from "./snapshot";
import { empty, sql, type Sql } from "../sql";

/**
 * Upcoming deletions, read from the current forecast snapshot
 * (snapshot.ts): the calendar, the org × category table and its
 * CSV are small grouped queries over it, whatever the fleet's size. The
 * items of one org × category are read live, with why each goes (due-items.ts).
 */
export type ForecastFilter = {
  horizonDays: number;
  plans?: Plan[] | null;
  categories?: RetentionCategory[] | null;
  orgSearch?: string | null;
  /** Inclusive day range within the horizon (YYYY-MM-DD). */
  from?: string | null;
  to?: string | null;
};

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, "\\$&")}%`;

/**
 * The snapshot's rows that answer `filter` at `now`: due on or before the
 * horizon's last day, each day clamped to today (what a stale snapshot saw
 * due yesterday is due now), within the plans, categories, org names and
 * day range asked for.
 */
function dueRows(snapshot: ForecastSnapshotRef, filter: ForecastFilter, now: Date): Sql {
  const today = isoDay(now);
  const last = isoDay(addDays(now, filter.horizonDays));
  const day = sql`greatest(f.day, ${today}::date)`;
  return sql`
    SELECT f.org_id, f.plan, f.category, ${day} AS day, f.items, f.bytes
    FROM forecast_days f
    WHERE f.snapshot_id = ${snapshot.id} AND f.day <= ${last}::date ${planAndCategory(filter)}
      ${filter.orgSearch ? sql`AND f.org_id IN (SELECT id FROM organizations WHERE name ILIKE ${likePattern(filter.orgSearch)})` : empty}
      ${filter.from ? sql`AND ${day} >= ${filter.from}::date` : empty}
      ${filter.to ? sql`AND ${day} <= ${filter.to}::date` : empty}`;
}

/**
 * Whether the snapshot's summaries answer `filter`: they were summed over
 * every org, for the snapshot's own day and the console's horizons. An org
 * search, or a snapshot from an earlier day still being redone, reads the
 * org × day rows instead.
 */
const summarized = (snapshot: ForecastSnapshotRef, filter: ForecastFilter, now: Date) =>
  !filter.orgSearch &&
  isoDay(snapshot.asOf) === isoDay(now) &&
  (HORIZONS as readonly number[]).includes(filter.horizonDays);

const planAndCategory = (filter: ForecastFilter) => sql`
  ${filter.plans?.length ? sql`AND f.plan = ANY(${filter.plans}::"Plan"[])` : empty}
  ${filter.categories?.length ? sql`AND f.category = ANY(${filter.categories}::"RetentionCategory"[])` : empty}`;

/** The calendar summary's rows for `filter` (see `summarized`). */
function calendarRows(snapshot: ForecastSnapshotRef, filter: ForecastFilter, now: Date): Sql {
  const last = isoDay(addDays(now, filter.horizonDays));
  return sql`
    SELECT f.day, f.category, f.items, f.bytes FROM forecast_calendar_days f
    WHERE f.snapshot_id = ${snapshot.id} AND f.day <= ${last}::date ${planAndCategory(filter)}
      ${filter.from ? sql`AND f.day >= ${filter.from}::date` : empty}
      ${filter.to ? sql`AND f.day <= ${filter.to}::date` : empty}`;
}

/** The table summary's rows for `filter`: no day range (see `summarized`). */
function totalRows(snapshot: ForecastSnapshotRef, filter: ForecastFilter): Sql {
  return sql`
    SELECT f.org_id, f.plan, f.category, f.items, f.bytes, f.first_day, f.last_day FROM forecast_totals f
    WHERE f.snapshot_id = ${snapshot.id} AND f.horizon_days = ${filter.horizonDays} ${planAndCategory(filter)}`;
}

export type ForecastDay = {
  day: string;
  category: RetentionCategory;
  items: number;
  bytes: bigint;
};

/** Items and bytes per day and category over the horizon: the calendar. */
export async function forecastByDay(
  db: Db,
  snapshot: ForecastSnapshotRef,
  filter: ForecastFilter,
  now: Date,
): Promise<ForecastDay[]> {
  const rows = await db.$queryRaw<
    { day: Date; category: RetentionCategory; items: number; bytes: bigint }[]
  >(sql`
    SELECT day, category, sum(items)::int AS items, coalesce(sum(bytes), 0)::bigint AS bytes
    FROM (${summarized(snapshot, filter, now) ? calendarRows(snapshot, filter, now) : dueRows(snapshot, filter, now)}) d
    GROUP BY day, category ORDER BY day, category`);
  return rows.map((r) => ({
    day: isoDay(r.day),
    category: r.category,
    items: r.items,
    bytes: BigInt(r.bytes),
  }));
}

export type UpcomingRow = {
  orgId: number;
  orgName: string;
  plan: Plan;
  category: RetentionCategory;
  items: number;
  bytes: bigint;
  firstDay: string;
  lastDay: string;
};

const SORTS = {
  items: sql`items`,
  bytes: sql`bytes`,
  firstDay: sql`first_day`,
  org: sql`org_name`,
} as const;
export type UpcomingSort = { by: keyof typeof SORTS; desc: boolean };

/** The same items by org × category, sorted and paged in SQL: the table (and its CSV). */
export async function upcomingByOrg(
  db: Db,
  snapshot: ForecastSnapshotRef,
  filter: ForecastFilter,
  now: Date,
  page: { offset: number; limit: number; sort: UpcomingSort },
): Promise<{ total: number; rows: UpcomingRow[] }> {
  const grouped =
    summarized(snapshot, filter, now) && !filter.from && !filter.to
      ? totalRows(snapshot, filter)
      : sql`
        SELECT org_id, plan, category, sum(items)::int AS items, coalesce(sum(bytes), 0)::bigint AS bytes,
               min(day) AS first_day, max(day) AS last_day
        FROM (${dueRows(snapshot, filter, now)}) d GROUP BY org_id, plan, category`;
  const order = sql`ORDER BY ${SORTS[page.sort.by]} ${page.sort.desc ? sql`DESC` : sql`ASC`}, org_id, category`;
  const window = sql`OFFSET ${page.offset} LIMIT ${page.limit}`;
  // Sorted by name, every row needs its org's name first; otherwise only the
  // page's rows do, which spares joining 100,000 rows of a fleet-wide view.
  const rows = await db.$queryRaw<
    {
      org_id: number;
      org_name: string;
      plan: Plan;
      category: RetentionCategory;
      items: number;
      bytes: bigint;
      first_day: Date;
      last_day: Date;
      total: number;
    }[]
  >(
    page.sort.by === "org"
      ? sql`
        SELECT g.*, o.name AS org_name, count(*) OVER ()::int AS total
        FROM (${grouped}) g JOIN organizations o ON o.id = g.org_id ${order} ${window}`
      : sql`
        WITH g AS (${grouped})
        SELECT p.*, o.name AS org_name, (SELECT count(*) FROM g)::int AS total
        FROM (SELECT * FROM g ${order} ${window}) p JOIN organizations o ON o.id = p.org_id ${order}`,
  );
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map((r) => ({
      orgId: r.org_id,
      orgName: r.org_name,
      plan: r.plan,
      category: r.category,
      items: r.items,
      bytes: BigInt(r.bytes),
      firstDay: isoDay(r.first_day),
      lastDay: isoDay(r.last_day),
    })),
  };
}
