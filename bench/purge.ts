import { createDb, type Db } from "../server/db";
import { sql, windowsRelation } from "../server/retention/sql";
import { driftChecks } from "../server/retention/categories/drift-checks";
import { loadOverrides, windowsFor } from "../server/retention/windows";
import { BENCH_DB, copyDatabase, dropDatabase, openSeededBench } from "./lib/bench-db";
import { benchEngine, confirm, preview, workRun } from "./lib/engine";
import {
  count,
  header,
  mb,
  ms,
  numericFlags,
  rssPhases,
  percentile,
  timed,
  verdict,
} from "./lib/report";

/**
 * Records how long each interactive transaction lasts, BEGIN to COMMIT: the
 * time its row locks are held. Every purge batch is one; so is each task's
 * bookkeeping, so the longest of them bounds the longest batch.
 */
function timingTransactions(db: Db, durations: number[]): Db {
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop !== "$transaction" || typeof value !== "function") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          if (typeof args[0] === "function") durations.push(performance.now() - started);
        }
      };
    },
  });
}

/** The bare statement: every drift check past its org's window, but never an environment's latest. */
async function bareDelete(url: string, asOf: Date) {
  const db = createDb(url, { maxConnections: 2 });
  try {
    const orgs = await db.organization.findMany({ select: { id: true, plan: true, name: true } });
    const windows = windowsFor(driftChecks, orgs, {}, await loadOverrides(db, null), asOf);
    return await timed(() =>
      db.$executeRaw(sql`
        DELETE FROM drift_checks t USING ${windowsRelation(windows)} w
        WHERE t.org_id = w.org_id AND t.checked_at < w.cutoff
          AND EXISTS (SELECT 1 FROM drift_checks n WHERE n.environment_id = t.environment_id
                      AND (n.checked_at, n.id) > (t.checked_at, t.id))`),
    );
  } finally {
    await db.$disconnect();
  }
}

async function remaining(url: string) {
  const db = createDb(url, { maxConnections: 1 });
  try {
    return await db.driftCheck.count();
  } finally {
    await db.$disconnect();
  }
}

/**
 * `npm run bench:purge`: the eligible drift checks of the whole fleet,
 * purged through the engine (dry run, confirm, --workers drain loops) on
 * one copy of the dataset and by one bare DELETE on another, same run.
 */
async function main() {
  const flags = numericFlags({ workers: 2, keep: 0 });
  const rss = rssPhases();
  const bench = await openSeededBench();
  const engineDb = `${BENCH_DB}_purge_engine`;
  const bareDb = `${BENCH_DB}_purge_bare`;
  try {
    header("bench:purge — eligible drift checks: engine vs one bare DELETE", bench.where);
    const copied = await timed(async () => {
      await copyDatabase(bench.serverUrl, BENCH_DB, engineDb);
      await copyDatabase(bench.serverUrl, BENCH_DB, bareDb);
    });
    const before = await remaining(bench.urlFor(bareDb));
    console.log(`  two copies of ${BENCH_DB} (${count(before)} drift checks): ${ms(copied.ms)}`);

    // Both purge as of the same moment, so they must leave the same checks.
    const asOf = new Date();
    const bare = await bareDelete(bench.urlFor(bareDb), asOf);
    const bareRate = (bare.value / bare.ms) * 1000;
    console.log(`  bare DELETE: ${count(bare.value)} checks in ${ms(bare.ms)}`);

    const durations: number[] = [];
    const rssBefore = rss.phasePeak();
    const { engine, close } = await benchEngine(bench.urlFor(engineDb));
    const timedEngine = { ...engine, db: timingTransactions(engine.db, durations) };
    let deleted = 0;
    let dryRunMs = 0;
    let runMs = 0;
    let batches = { longest: 0, p99: 0, count: 0 };
    let rssDryRun = 0;
    let rssRun = 0;
    try {
      const planned = await timed(() =>
        preview(timedEngine, { orgIds: null, categories: ["DRIFT_CHECKS"], asOf }),
      );
      dryRunMs = planned.ms;
      rssDryRun = rss.phasePeak();
      durations.length = 0;
      const run = await timed(async () => {
        const runId = await confirm(timedEngine, planned.value);
        return workRun(timedEngine, runId, flags.workers);
      });
      runMs = run.ms;
      rssRun = rss.phasePeak();
      deleted = Number(run.value?.deleted ?? 0);
      // Each task keeps its longest batch, BEGIN to last statement: the time
      // the batch held its rows' locks, apart from the run's bookkeeping.
      const [b] = await engine.db.$queryRaw<{ longest: number; p99: number; count: number }[]>`
        SELECT coalesce(max(longest_batch_ms), 0)::int AS longest,
               coalesce(percentile_disc(0.99) WITHIN GROUP (ORDER BY longest_batch_ms), 0)::int AS p99,
               coalesce(sum(batches), 0)::int AS count
        FROM purge_tasks WHERE run_id = ${run.value?.id ?? ""}`;
      if (b) batches = b;
      console.log(
        `  engine: dry run ${ms(dryRunMs)}, then ${count(deleted)} checks in ${ms(runMs)} (${flags.workers} workers, ${count(durations.length)} transactions, status ${run.value?.status})`,
      );
    } finally {
      await close();
    }
    const left = [await remaining(bench.urlFor(engineDb)), await remaining(bench.urlFor(bareDb))];
    console.log(
      `  checks left: engine ${count(left[0] ?? 0)}, bare ${count(left[1] ?? 0)} ${left[0] === left[1] ? "(same)" : "(DIFFER)"}\n`,
    );

    const engineRate = (deleted / runMs) * 1000;
    const endToEnd = (deleted / (runMs + dryRunMs)) * 1000;
    const longest = Math.max(0, ...durations);
    console.log(`  bare DELETE rows/s: ${count(Math.round(bareRate))}`);
    console.log(`  engine rows/s (confirm → done): ${count(Math.round(engineRate))}`);
    console.log(`  engine rows/s including the dry run: ${count(Math.round(endToEnd))}`);
    verdict(
      "engine / bare rows/s",
      `${(engineRate / bareRate).toFixed(2)}×`,
      "≥ 0.7×",
      engineRate / bareRate >= 0.7,
    );
    verdict(
      `longest purge batch (of ${count(batches.count)})`,
      ms(batches.longest),
      "≤ 250 ms",
      batches.longest <= 250,
    );
    console.log(`  tasks' longest batches, p99: ${ms(batches.p99)}`);
    console.log(`  longest transaction of any kind (bookkeeping included): ${ms(longest)}`);
    console.log(
      `  transaction p50 / p99: ${ms(percentile(durations, 50))} / ${ms(percentile(durations, 99))}`,
    );
    verdict("peak RSS while the run purged", mb(rssRun), "≤ 300 MB", rssRun <= 300 * 2 ** 20);
    console.log(
      `  peak RSS before the engine started ${mb(rssBefore)}, during the dry run ${mb(rssDryRun)}; ` +
        `the process's high-water mark ${mb(rss.processPeak())}`,
    );
  } finally {
    if (!flags.keep) {
      await dropDatabase(bench.serverUrl, engineDb);
      await dropDatabase(bench.serverUrl, bareDb);
    }
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
