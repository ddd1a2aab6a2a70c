import { withClient } from "./bench-db";

export type StatementTimes = {
  calls: number;
  /** Rows the statement returned or changed, over all its calls. */
  rows: number;
  planMs: number;
  execMs: number;
  /** The statement's opening, whitespace collapsed: enough to find it in the code. */
  opening: string;
};

export type StatementProfile = { top(limit: number): Promise<StatementTimes[]> };

/**
 * Per-statement times of one database from now on, from pg_stat_statements.
 * Null when the server does not load it (a DATABASE_URL server may not):
 * the bench then prints no profile rather than a wrong one.
 */
export async function statementProfile(url: string): Promise<StatementProfile | null> {
  const ready = await withClient(url, async (c) => {
    try {
      await c.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      await c.query(
        `SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)`,
      );
      return true;
    } catch {
      return false;
    }
  });
  if (!ready) return null;
  return {
    top: (limit) =>
      withClient(url, async (c) => {
        const { rows } = await c.query<StatementTimes>(
          `SELECT calls::int, rows::float8 AS rows, total_plan_time AS "planMs", total_exec_time AS "execMs",
                  left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS opening
           FROM pg_stat_statements
           WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           ORDER BY total_plan_time + total_exec_time DESC LIMIT $1`,
          [limit],
        );
        return rows;
      }),
  };
}

/** Prints a profile's statements: calls × (planning + execution per call), and µs a row given `rows`. */
export function printProfile(statements: StatementTimes[], title: string, rows?: number) {
  console.log(`  ${title} (pg_stat_statements, planning + execution):`);
  for (const s of statements) {
    const perRow = rows ? `${(((s.planMs + s.execMs) * 1000) / rows).toFixed(1)} µs a row: ` : "";
    console.log(
      `    ${s.calls.toLocaleString("en-US")} × (${(s.planMs / s.calls).toFixed(1)} + ${(s.execMs / s.calls).toFixed(1)} ms), ${perRow}${s.rows.toLocaleString("en-US")} rows: ${s.opening}`,
    );
  }
}
