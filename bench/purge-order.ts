import { createDb } from "../server/db";
import { DEFAULT_SETTINGS } from "../server/retention/engine";
import { sql } from "../server/retention/sql";
import { BARE_ELIGIBLE, fleetWindows } from "./lib/bare";
import { BENCH_DB, copyDatabase, dropDatabase, openSeededBench, withClient } from "./lib/bench-db";
import { count, header, ms, numericFlags, timed } from "./lib/report";

/**
 * Deletes one variant's batches, each in its own transaction, inside the
 * database: no worker, no re-check, no bookkeeping, only the order.
 */
const PROCEDURE = `
  CREATE PROCEDURE bench_order_delete(wanted text) LANGUAGE plpgsql AS $$
  DECLARE k int := 0; ids int[];
  BEGIN
    LOOP
      SELECT array_agg(id) INTO ids FROM bench_order_batches WHERE variant = wanted AND batch = k;
      EXIT WHEN ids IS NULL;
      DELETE FROM drift_checks WHERE id = ANY(ids);
      COMMIT;
      k := k + 1;
    END LOOP;
  END $$`;

/**
 * `npm run bench:purge-order`: what the order of a purge's deletes costs.
 * The same bare per-batch DELETE (by id, with the flags' cascade) runs
 * twice over the same pages of the dataset: once on odd orgs' eligible
 * checks, one org after another as the engine's per-org tasks take them,
 * and once on even orgs' checks in id order, as they lie on disk. Each
 * starts after a checkpoint, so both pay the same first writes of a page.
 */
async function main() {
  const flags = numericFlags({ rows: 400_000, size: DEFAULT_SETTINGS.batchSize, keep: 0 });
  const bench = await openSeededBench();
  const copy = `${BENCH_DB}_purge_order`;
  try {
    header("bench:purge-order — the same batched DELETE, per org vs in id order", bench.where);
    await copyDatabase(bench.serverUrl, BENCH_DB, copy);
    const url = bench.urlFor(copy);
    const db = createDb(url, { maxConnections: 1 });
    try {
      const windows = await fleetWindows(db, new Date());
      // Both halves start at the middle id, so they share the same pages.
      await db.$executeRaw(sql`
        CREATE UNLOGGED TABLE bench_order_batches AS
        WITH eligible AS (
          SELECT t.id, t.org_id FROM drift_checks t, ${windows} w
          WHERE ${BARE_ELIGIBLE} AND t.id >= (SELECT (min(id) + max(id)) / 2 FROM drift_checks)
        ),
        odd AS (SELECT id, org_id FROM eligible WHERE org_id % 2 = 1 ORDER BY id LIMIT ${flags.rows}),
        even AS (SELECT id FROM eligible WHERE org_id % 2 = 0 ORDER BY id LIMIT ${flags.rows})
        SELECT 'org'::text AS variant, ((row_number() OVER (ORDER BY org_id, id) - 1) / ${flags.size})::int AS batch, id FROM odd
        UNION ALL
        SELECT 'id', ((row_number() OVER (ORDER BY id) - 1) / ${flags.size})::int, id FROM even`);
    } finally {
      await db.$disconnect();
    }
    const rates = await withClient(url, async (client) => {
      await client.query("CREATE INDEX ON bench_order_batches (variant, batch)");
      await client.query(PROCEDURE);
      const rate = async (variant: "org" | "id") => {
        const { rows } = await client.query<{ n: number; pages: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT (c.ctid::text::point)[0])::int AS pages
           FROM bench_order_batches b JOIN drift_checks c ON c.id = b.id WHERE b.variant = $1`,
          [variant],
        );
        const n = rows[0]?.n ?? 0;
        await client.query("CHECKPOINT");
        const run = await timed(() => client.query("CALL bench_order_delete($1)", [variant]));
        const perSecond = (n / run.ms) * 1000;
        console.log(
          `  ${variant === "org" ? "per org, as the engine's tasks" : "in id order, as on disk"}: ${count(n)} checks on ${count(rows[0]?.pages ?? 0)} pages in ${ms(run.ms)}: ${count(Math.round(perSecond))} rows/s, ${((run.ms * 1000) / n).toFixed(1)} µs a row`,
        );
        return perSecond;
      };
      // Id order first: it then pays for reading the shared pages in.
      const byId = await rate("id");
      const byOrg = await rate("org");
      return { byId, byOrg };
    });
    console.log(
      `\n  batches of ${count(flags.size)}, one transaction each; per org / id order: ${(rates.byOrg / rates.byId).toFixed(2)}×`,
    );
  } finally {
    if (!flags.keep) await dropDatabase(bench.serverUrl, copy);
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
