import type { Db } from "../server/db";

/**
 * Row counts of every table of the database (the app's, the audit log and
 * the queue's), in one round trip: a refused request must change none.
 */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`;
  // Names come from the catalog, quoted by format('%I'), never from input.
  const rows = await db.$queryRawUnsafe<{ name: string; n: number }[]>(
    tables
      .map((t) => `SELECT '${t.name}' AS name, count(*)::int AS n FROM ${t.name}`)
      .join(" UNION ALL "),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}
