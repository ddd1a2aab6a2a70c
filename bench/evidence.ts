import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { requestPack } from "../server/retention/evidence/pack/packs";
import { BENCH_DB, copyDatabase, dropDatabase, openSeededBench, withClient } from "./lib/bench-db";
import { benchEngine } from "./lib/engine";
import type { EvidenceWorkerReport } from "./lib/evidence-worker";
import { bytes, count, header, mb, ms, numericFlags, timed, verdict } from "./lib/report";
import { runCli } from "../scripts/cli";
import { isoDay } from "../server/calendar-day";

const WORKER = path.resolve(import.meta.dirname, "lib", "evidence-worker.ts");
const DAY = 86_400_000;

/**
 * The seeded daily runs record what their tasks deleted but wrote no
 * manifest: give each task of the month the manifest batches a run would
 * have written (up to 1,000 ids each, in manifest order with their digest,
 * bytes summing to the task's), and the purge totals its counters add to.
 * The tasks already given batches are read once, before the insert: probed
 * per task, the table being filled is scanned again for each (quadratic).
 */
const MANIFESTS = `
  WITH given AS MATERIALIZED (SELECT DISTINCT task_id FROM manifest_batches)
  INSERT INTO manifest_batches (run_id, task_id, batch_no, org_id, category, item_ids, sha256, bytes, created_at)
  SELECT t.run_id, t.id, b.n, t.org_id, t.category, x.ids,
         manifest_batch_digest(t.category::text, t.org_id, x.ids),
         t.bytes_freed * x.upto / t.deleted - t.bytes_freed * x.after / t.deleted,
         t.started_at + b.n * interval '10 milliseconds'
  FROM purge_tasks t
  JOIN purge_runs r ON r.id = t.run_id AND r.started_at >= now() - interval '31 days'
  CROSS JOIN LATERAL generate_series(1, ceil(t.deleted / 1000.0)::int) AS b(n)
  CROSS JOIN LATERAL (
    SELECT manifest_order(array_agg((t.id::bigint * 100000 + g)::text)) AS ids,
           (b.n - 1) * 1000 AS after, least(b.n * 1000, t.deleted) AS upto
    FROM generate_series((b.n - 1) * 1000 + 1, least(b.n * 1000, t.deleted)) g) x
  WHERE t.deleted > 0 AND NOT EXISTS (SELECT 1 FROM given g WHERE g.task_id = t.id)`;

const TOTALS = `
  INSERT INTO purge_totals (plan, category, deleted, bytes_freed)
  SELECT plan, category, sum(deleted), sum(bytes_freed) FROM purge_tasks
  WHERE status IN ('SUCCEEDED', 'FAILED') GROUP BY plan, category
  ON CONFLICT (plan, category) DO UPDATE SET deleted = EXCLUDED.deleted, bytes_freed = EXCLUDED.bytes_freed`;

/**
 * `npm run bench:evidence`: the evidence pack of the last 30 days over the
 * scale dataset (every org), queued and built by a worker process of its
 * own, as `npm run worker` builds it: its time and the worker's peak RSS.
 */
async function main() {
  const flags = numericFlags({ keep: 0 });
  const bench = await openSeededBench();
  const db = `${BENCH_DB}_evidence`;
  try {
    header("bench:evidence — the evidence pack of a month, every org", bench.where);
    await copyDatabase(bench.serverUrl, BENCH_DB, db);
    const url = bench.urlFor(db);
    const prepared = await timed(() =>
      withClient(url, async (c) => {
        const batches = await c.query(MANIFESTS);
        await c.query(TOTALS);
        await c.query("ANALYZE manifest_batches");
        return batches.rowCount ?? 0;
      }),
    );
    console.log(
      `  manifests of the month's seeded runs: ${count(prepared.value)} batches in ${ms(prepared.ms)}`,
    );
    const { engine, close } = await benchEngine(url);
    const key = generateKeyPairSync("ed25519").privateKey;
    let packId = 0;
    try {
      const admin = await engine.db.user.findFirstOrThrow({ where: { role: "ADMIN" } });
      const asked = await requestPack(
        { ...engine, evidenceKey: () => key },
        {
          actor: admin,
          period: {
            fromDay: isoDay(Date.now() - 29 * DAY),
            toDay: isoDay(Date.now()),
            orgId: null,
          },
        },
        0,
      );
      packId = asked.pack.id;
    } finally {
      await close();
    }
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", WORKER, url],
      {
        maxBuffer: 1 << 20,
      },
    );
    const report = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as EvidenceWorkerReport;
    const pack = await withClient(url, async (c) => {
      const { rows } = await c.query<{
        status: string;
        items: string;
        bytes: string;
        total: string;
        mismatches: number;
        error: string | null;
      }>(
        `SELECT status, items, bytes, total, mismatches, error FROM evidence_packs WHERE id = $1`,
        [packId],
      );
      return rows[0];
    });
    if (pack?.status !== "READY") throw new Error(`The pack is ${pack?.status}: ${pack?.error}`);
    console.log(
      `  pack ${packId}: ${count(BigInt(pack.items))} items in ${count(BigInt(pack.total))} manifest batches, ` +
        `zip ${bytes(BigInt(pack.bytes))}, ${pack.mismatches} mismatches listed`,
    );
    console.log(
      `  built in ${ms(report.ms)} (worker CPU ${ms(report.cpuMs)}), ` +
        `${count(Math.round((Number(pack.items) / report.ms) * 1000))} items/s`,
    );
    verdict(
      "peak RSS of the worker that built it",
      mb(report.peakRss),
      "≤ 300 MB",
      report.peakRss <= 300 * 2 ** 20,
    );
  } finally {
    if (!flags.keep) await dropDatabase(bench.serverUrl, db);
    await bench.stop();
  }
}

runCli(main);
