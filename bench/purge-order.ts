import { createDb } from "../server/db";
import { DEFAULT_SETTINGS } from "../server/retention/deps";
import { sql } from "../server/retention/sql";
import { BARE_ELIGIBLE, fleetWindows } from "./lib/bare";
import { BENCH_DB, copyDatabase, dropDatabase, openSeededBench, withClient } from "./lib/bench-db";
import { count, header, ms, numericFlags, timed } from "./lib/report";
import { runCli } from "../scripts/cli";

/**
 * Deletes one variant's batches, each in its own transaction, inside the
 * database: no worker, no evidence, no bookkeeping. With `recheck`, each
 * batch's DELETE re-checks its checks as a purge must when it deletes them
 * (past the org's window, and not the latest check of its environment).
 */
const PROCEDURE = `
  CREATE PROCEDURE bench_order_delete(wanted text, recheck boolean) LANGUAGE plpgsql AS $$
  DECLARE k int := 0; ids int[];
  BEGIN
    LOOP
      SELECT array_agg(id) INTO ids FROM bench_order_batches WHERE variant = wanted AND batch = k;
      EXIT WHEN ids IS NULL;
      IF recheck THEN
        -- As a sweep's purge statement: the checks by id, each past its
        -- org's window and with a newer check in its environment, then the
        -- delete by tuple id.
        WITH checks AS MATERIALIZED (
          SELECT c.id, c.org_id, c.environment_id, c.checked_at, c.ctid AS row_ctid
          FROM drift_checks c WHERE c.id = ANY(ids))
        DELETE FROM drift_checks t USING checks c, bench_windows w
        WHERE t.ctid = c.row_ctid AND c.org_id = w.org_id AND c.checked_at < w.cutoff
          AND EXISTS (SELECT 1 FROM drift_checks n WHERE n.environment_id = c.environment_id
                      AND (n.checked_at, n.id) > (c.checked_at, c.id));
      ELSE
        DELETE FROM drift_checks WHERE id = ANY(ids);
      END IF;
      COMMIT;
      k := k + 1;
    END LOOP;
  END $$`;

/** The four variants: each takes the eligible checks of the orgs with `org_id % 4 = quarter`. */
const VARIANTS = [
  { name: "id", quarter: 0, byOrg: false, recheck: false, label: "in id order, as sweeps go" },
  { name: "org", quarter: 1, byOrg: true, recheck: false, label: "per org, as tasks would go" },
  { name: "id-recheck", quarter: 2, byOrg: false, recheck: true, label: "in id order, re-checked" },
  { name: "org-recheck", quarter: 3, byOrg: true, recheck: true, label: "per org, re-checked" },
] as const;

/**
 * `npm run bench:purge-order`: what the order of a purge's deletes costs,
 * and what re-checking each batch costs in each order. The same per-batch
 * DELETE by id (with the flags' cascade) runs over four quarters of the
 * fleet's eligible checks, spread alike over the whole table: one org after
 * another, as per-org tasks would take them, or in id order, as they lie
 * on disk and as the engine's sweeps take them; each bare or re-checked.
 * `--every N` keeps one org in N of each quarter (the default, 1, takes the
 * whole fleet, as a purge does).
 * Autovacuum is off on the copy, so no variant pays for another's dead rows.
 */
async function main() {
  const flags = numericFlags({ every: 1, size: DEFAULT_SETTINGS.batchSize, keep: 0 });
  if (flags.every < 1) throw new Error(`--every must be 1 or more (got ${flags.every})`);
  const bench = await openSeededBench();
  const copy = `${BENCH_DB}_purge_order`;
  try {
    header("bench:purge-order — the same batched DELETE, per org vs in id order", bench.where);
    await copyDatabase(bench.serverUrl, BENCH_DB, copy);
    const url = bench.urlFor(copy);
    const db = createDb(url, { maxConnections: 1 });
    try {
      const windows = await fleetWindows(db, new Date());
      await db.$executeRaw(sql`CREATE UNLOGGED TABLE bench_windows AS SELECT * FROM ${windows} w`);
      await db.$executeRaw(sql`
        CREATE UNLOGGED TABLE bench_order_batches AS
        WITH eligible AS (
          SELECT t.id, t.org_id, t.org_id % 4 AS quarter FROM drift_checks t, bench_windows w
          WHERE ${BARE_ELIGIBLE} AND t.org_id / 4 % ${flags.every}::int = 0
        ), variants AS (
          SELECT * FROM unnest(${VARIANTS.map((v) => v.name)}::text[], ${VARIANTS.map((v) => v.quarter)}::int[],
                               ${VARIANTS.map((v) => v.byOrg)}::boolean[]) AS v(name, quarter, by_org)
        )
        SELECT v.name AS variant, e.id,
               ((row_number() OVER (PARTITION BY v.name ORDER BY CASE WHEN v.by_org THEN e.org_id END, e.id) - 1)
                 / ${flags.size})::int AS batch
        FROM eligible e JOIN variants v ON v.quarter = e.quarter`);
    } finally {
      await db.$disconnect();
    }
    await withClient(url, async (client) => {
      await client.query("ALTER TABLE bench_windows ADD PRIMARY KEY (org_id)");
      await client.query("CREATE INDEX ON bench_order_batches (variant, batch)");
      for (const table of ["drift_checks", "workflow_flags"])
        await client.query(`ALTER TABLE ${table} SET (autovacuum_enabled = off)`);
      await client.query("ANALYZE");
      await client.query(PROCEDURE);
      const perRow: Record<string, number> = {};
      // Id order first: it then pays for reading the table's pages in.
      for (const v of VARIANTS) {
        const { rows } = await client.query<{ n: number; pages: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT (c.ctid::text::point)[0])::int AS pages
           FROM bench_order_batches b JOIN drift_checks c ON c.id = b.id WHERE b.variant = $1`,
          [v.name],
        );
        const n = rows[0]?.n ?? 0;
        await client.query("CHECKPOINT");
        const run = await timed(() =>
          client.query("CALL bench_order_delete($1, $2)", [v.name, v.recheck]),
        );
        perRow[v.name] = (run.ms * 1000) / n;
        console.log(
          `  ${v.label}: ${count(n)} checks on ${count(rows[0]?.pages ?? 0)} pages in ${ms(run.ms)}: ` +
            `${count(Math.round((n / run.ms) * 1000))} rows/s, ${(perRow[v.name] ?? 0).toFixed(1)} µs a row`,
        );
      }
      const ratio = (a: string, b: string) => ((perRow[b] ?? 0) / (perRow[a] ?? 1)).toFixed(2);
      console.log(
        `\n  batches of ${count(flags.size)}, one transaction each; rows/s per org / id order: ` +
          `${ratio("org", "id")}× bare, ${ratio("org-recheck", "id-recheck")}× re-checked`,
      );
    });
  } finally {
    if (!flags.keep) await dropDatabase(bench.serverUrl, copy);
    await bench.stop();
  }
}

runCli(main);
