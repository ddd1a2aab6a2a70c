import type { Db } from "../db";
import type { Plan, RetentionCategory } from "../generated/prisma/enums";
import { rowCategories } from "./category-lookup";
import type { RowCategory } from "./categories/category";
import type { EngineSettings } from "./engine";
import { backupKeep } from "./policy";
import { eligibilityReason } from "./reasons";
import { empty, sql, windowsRelation, type Sql } from "./sql";
import { loadOverrides, windowsFor } from "./windows";

export type ForecastFilter = {
  horizonDays: number;
  plans?: Plan[] | null;
  categories?: RetentionCategory[] | null;
  orgSearch?: string | null;
  /** Inclusive day range within the horizon (YYYY-MM-DD). */
  from?: string | null;
  to?: string | null;
};

/**
 * Every item that becomes eligible within the horizon, counted per
 * (org_id, category, day) as (items, bytes): one eligibility query per
 * category with the cutoff moved forward by the horizon. Items already
 * eligible count on today (the next run takes them). Orphan objects live in
 * the bucket, not in rows, and are not forecast.
 */
async function dueItems(
  db: Db,
  settings: EngineSettings,
  filter: ForecastFilter,
  asOf: Date,
): Promise<Sql | null> {
  const orgs = await db.organization.findMany({
    where: {
      plan: filter.plans?.length ? { in: filter.plans } : undefined,
      name: filter.orgSearch ? { contains: filter.orgSearch, mode: "insensitive" } : undefined,
    },
    select: { id: true, plan: true, name: true },
  });
  if (orgs.length === 0) return null;
  const overrides = await loadOverrides(db, orgs.length > 1000 ? null : orgs.map((o) => o.id));
  const chosen = rowCategories().filter(
    (c) => !filter.categories?.length || filter.categories.includes(c.key),
  );
  const range = sql`${filter.from ? sql`AND day >= ${filter.from}::date` : empty} ${filter.to ? sql`AND day <= ${filter.to}::date` : empty}`;
  const parts = chosen
    .map((category: RowCategory) => {
      const windows = windowsFor(
        category,
        orgs,
        settings.policy,
        overrides,
        asOf,
        filter.horizonDays,
      );
      if (windows.length === 0) return null;
      // Counted per org and day right here, so millions of items become a
      // few thousand rows before the union. The OFFSET 0 fence stops the
      // planner from sizing the day groups by the timestamps' millions of
      // distinct values (which makes it sort every item to group them).
      return sql`(
        SELECT org_id, ${category.key}::text AS category, day, count(*)::bigint AS items,
               coalesce(sum(bytes), 0)::bigint AS bytes
        FROM (
          WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)}
          SELECT e.org_id, e.bytes,
                 greatest(e.aged_at + make_interval(days => w.days), ${asOf}::timestamptz)::date AS day
          FROM (${category.eligible({ windows: sql`windows`, keepNewest: backupKeep(settings.policy) })}) e
          JOIN windows w ON w.org_id = e.org_id
          OFFSET 0
        ) items
        WHERE TRUE ${range}
        GROUP BY org_id, day)`;
    })
    .filter((part): part is Sql => part !== null);
  if (parts.length === 0) return null;
  return parts.reduce((acc, p) => sql`${acc} UNION ALL ${p}`);
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
  settings: EngineSettings,
  filter: ForecastFilter,
  asOf: Date,
): Promise<ForecastDay[]> {
  const due = await dueItems(db, settings, filter, asOf);
  if (!due) return [];
  const rows = await db.$queryRaw<
    { day: Date; category: RetentionCategory; items: number; bytes: bigint }[]
  >(sql`
    SELECT day, category, sum(items)::int AS items, coalesce(sum(bytes), 0)::bigint AS bytes
    FROM (${due}) d GROUP BY day, category ORDER BY day, category`);
  return rows.map((r) => ({
    day: r.day.toISOString().slice(0, 10),
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
  settings: EngineSettings,
  filter: ForecastFilter,
  asOf: Date,
  page: { offset: number; limit: number; sort: UpcomingSort },
): Promise<{ total: number; rows: UpcomingRow[] }> {
  const due = await dueItems(db, settings, filter, asOf);
  if (!due) return { total: 0, rows: [] };
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
  >(sql`
    SELECT g.*, o.name AS org_name, o.plan, count(*) OVER ()::int AS total FROM (
      SELECT org_id, category, sum(items)::int AS items, coalesce(sum(bytes), 0)::bigint AS bytes,
             min(day) AS first_day, max(day) AS last_day
      FROM (${due}) d GROUP BY org_id, category
    ) g JOIN organizations o ON o.id = g.org_id
    ORDER BY ${SORTS[page.sort.by]} ${page.sort.desc ? sql`DESC` : sql`ASC`}, org_id, category
    OFFSET ${page.offset} LIMIT ${page.limit}`);
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map((r) => ({
      orgId: r.org_id,
      orgName: r.org_name,
      plan: r.plan,
      category: r.category,
      items: r.items,
      bytes: BigInt(r.bytes),
      firstDay: r.first_day.toISOString().slice(0, 10),
      lastDay: r.last_day.toISOString().slice(0, 10),
    })),
  };
}

/** The items of one org × category that fall due within the horizon, soonest first, with why. */
export async function dueItemsOf(
  db: Db,
  settings: EngineSettings,
  input: {
    orgId: number;
    category: RetentionCategory;
    horizonDays: number;
    offset: number;
    limit: number;
  },
  asOf: Date,
) {
  const category = rowCategories().find((c) => c.key === input.category);
  const org = await db.organization.findUnique({
    where: { id: input.orgId },
    select: { id: true, plan: true, name: true },
  });
  if (!category || !org) return { total: 0, items: [] };
  const overrides = await loadOverrides(db, [org.id]);
  const windows = windowsFor(category, [org], settings.policy, overrides, asOf, input.horizonDays);
  if (windows.length === 0) return { total: 0, items: [] };
  const rows = await db.$queryRaw<
    { item_id: number; bytes: bigint; eligible_at: Date; total: number }[]
  >(sql`
    WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)}
    SELECT e.item_id, e.bytes, e.aged_at + make_interval(days => w.days) AS eligible_at, count(*) OVER ()::int AS total
    FROM (${category.eligible({ windows: sql`windows`, keepNewest: backupKeep(settings.policy) })}) e
    JOIN windows w ON w.org_id = e.org_id
    ORDER BY e.aged_at, e.item_id OFFSET ${input.offset} LIMIT ${input.limit}`);
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({
      itemId: r.item_id,
      bytes: BigInt(r.bytes),
      eligibleAt: r.eligible_at,
      reason: eligibilityReason({
        category: input.category,
        plan: org.plan,
        windowDays: windows[0]?.days ?? null,
        eligibleAt: r.eligible_at,
      }),
    })),
  };
}
