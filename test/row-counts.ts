import type { Db } from "../server/db";

/**
 * The forecast snapshot is a cache of what the governed tables say: any
 * read of upcoming deletions may compute it, bad input included, and no
 * request can change what it says.
 */
const DERIVED = [
  "forecast_snapshots",
  "forecast_days",
  "forecast_calendar_days",
  "forecast_totals",
];

/**
 * Row counts of every table of the database (the app's, the audit log and
 * the queue's) but the derived ones, in one round trip: a refused request
 * must change none.
 */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
      AND NOT (schemaname = 'public' AND tablename = ANY(${DERIVED}))
    ORDER BY 1`;
  // Names come from the catalog, quoted by format('%I'), never from input.
  const rows = await db.$queryRawUnsafe<{ name: string; n: number }[]>(
    tables
      .map((t) => `SELECT '${t.name}' AS name, count(*)::int AS n FROM ${t.name}`)
      .join(" UNION ALL "),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}
