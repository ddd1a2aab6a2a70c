import { spawn } from "node:child_process";
import path from "node:path";
import { createDb } from "../server/db";
import { sql } from "../server/retention/sql";
import { BARE_ELIGIBLE, fleetWindows } from "./lib/bare";
import { BENCH_DB, copyDatabase, dropDatabase, openSeededBench } from "./lib/bench-db";
import { benchEngine, confirm, preview } from "./lib/engine";
import type { WorkerReport } from "./lib/purge-worker";
import { serverCpu } from "./lib/server-cpu";
import { printProfile, statementProfile, type StatementTimes } from "./lib/statements";
import { timingTransactions } from "./lib/timing";
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
import { runCli } from "../scripts/cli";

const WORKER = path.resolve(import.meta.dirname, "lib", "purge-worker.ts");

/**
 * `workers` worker processes, as `npm run worker` on that many machines
 * would run, started and ready before the run; `work(runId)` hands them
 * the run and resolves with their reports once it has ended: as each
 * prints its report, not when its process exits (Node's teardown of its
 * idle connections and timers is no part of the purge).
 */
async function startWorkers(url: string, workers: number) {
  const children = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<{ work: (runId: string) => Promise<WorkerReport> }>((ready, reject) => {
          const child = spawn(process.execPath, ["--import", "tsx", WORKER, url], {
            stdio: ["pipe", "pipe", "inherit"],
          });
          let out = "";
          let reported: (report: WorkerReport) => void = () => undefined;
          const ended = new Promise<WorkerReport>((resolve, fail) => {
            reported = resolve;
            // After its report, a no-op; before it, the worker failed.
            child.on("exit", (code) =>
              fail(new Error(`bench worker exited ${code} without a report: ${out.slice(-500)}`)),
            );
          });
          child.on("error", reject);
          child.stdout.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            const last = out.endsWith("\n") ? (out.trim().split("\n").pop() ?? "") : "";
            if (last.startsWith("{")) reported(JSON.parse(last) as WorkerReport);
            if (out.startsWith("ready\n"))
              ready({
                work: (runId) => {
                  child.stdin.end(`${runId}\n`);
                  return ended;
                },
              });
          });
        }),
    ),
  );
  return (runId: string) => Promise.all(children.map((c) => c.work(runId)));
}

/** The bare statement: every drift check past its org's window, but never an environment's latest. */
async function bareDelete(url: string, asOf: Date) {
  const db = createDb(url, { maxConnections: 2 });
  try {
    const windows = await fleetWindows(db, asOf);
    return await timed(() =>
      db.$executeRaw(sql`DELETE FROM drift_checks t USING ${windows} w WHERE ${BARE_ELIGIBLE}`),
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
    const cpu = await serverCpu(bench.serverUrl);
    const bareCpuFrom = cpu?.ms() ?? 0;
    const bare = await bareDelete(bench.urlFor(bareDb), asOf);
    const bareCpuMs = (cpu?.ms() ?? 0) - bareCpuFrom;
    const bareLeft = await remaining(bench.urlFor(bareDb));
    // Gone before the engine starts: vacuuming its dead rows would take a
    // core from the engine's run.
    if (!flags.keep) await dropDatabase(bench.serverUrl, bareDb);
    const bareRate = (bare.value / bare.ms) * 1000;
    console.log(`  bare DELETE: ${count(bare.value)} checks in ${ms(bare.ms)}`);

    const durations: number[] = [];
    const rssBefore = rss.phasePeak();
    const { engine, close } = await benchEngine(bench.urlFor(engineDb));
    const timedEngine = { ...engine, db: timingTransactions(engine.db, durations) };
    let deleted = 0;
    let dryRunMs = 0;
    let runMs = 0;
    let ownMs = 0;
    let around = { beforeStart: 0, confirmCall: 0, afterFinish: 0 };
    let workerEnds: string[] = [];
    let batches = { longest: 0, count: 0, sweeps: 0 };
    let rssDryRun = 0;
    let rssWorkers: number[] = [];
    let workerCpuMs = 0;
    let serverCpuMs = 0;
    let vacuums: { relname: string; n: number }[] = [];
    let statements: StatementTimes[] | null = null;
    try {
      const planned = await timed(() =>
        preview(timedEngine, { orgIds: null, categories: ["DRIFT_CHECKS"], asOf }),
      );
      dryRunMs = planned.ms;
      rssDryRun = rss.phasePeak();
      durations.length = 0;
      const work = await startWorkers(bench.urlFor(engineDb), flags.workers);
      const profile = await statementProfile(bench.urlFor(engineDb));
      const serverCpuFrom = cpu?.ms() ?? 0;
      const confirmedFrom = Date.now();
      let workerReports: WorkerReport[] = [];
      let confirmedAt = 0;
      let reportedAt = 0;
      const run = await timed(async () => {
        const runId = await confirm(timedEngine, planned.value);
        confirmedAt = Date.now();
        const reports = await work(runId);
        reportedAt = Date.now();
        workerReports = reports;
        for (const r of reports) durations.push(...r.transactions);
        rssWorkers = reports.map((r) => r.peakRss);
        workerCpuMs = reports.reduce((sum, r) => sum + r.cpuMs, 0);
        return engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
      });
      runMs = run.ms;
      serverCpuMs = (cpu?.ms() ?? 0) - serverCpuFrom;
      statements = (await profile?.top(6)) ?? null;
      // The run's own span ends when its last batch ends it; the time
      // after that is the Overview's storage snapshot of the orgs it changed.
      ownMs = (run.value.finishedAt?.getTime() ?? 0) - run.value.startedAt.getTime();
      around = {
        beforeStart: run.value.startedAt.getTime() - confirmedFrom,
        confirmCall: confirmedAt - confirmedFrom,
        afterFinish: reportedAt - (run.value.finishedAt?.getTime() ?? reportedAt),
      };
      const since = (at: number) => ms(at - (run.value.finishedAt?.getTime() ?? at));
      workerEnds = workerReports.map(
        (r, i) =>
          `worker ${i + 1}: its last drain with work returned at ${r.lastDrainAt ? since(r.lastDrainAt) : "none"}, it read the run ended at ${since(r.sawEndAt)}`,
      );
      deleted = Number(run.value.deleted);
      // Each sweep keeps its longest batch, BEGIN to last statement: the time
      // the batch held its rows' locks, apart from the run's bookkeeping.
      const [b] = await engine.db.$queryRaw<{ longest: number; count: number; sweeps: number }[]>`
        SELECT coalesce(max(longest_batch_ms), 0)::int AS longest, coalesce(sum(batches), 0)::int AS count,
               count(*)::int AS sweeps
        FROM purge_sweeps WHERE run_id = ${run.value.id}`;
      if (b) batches = b;
      // Autovacuum cleaning up after the engine shares its two cores; the bare statement's comes after its span.
      vacuums = await engine.db.$queryRaw<{ relname: string; n: number }[]>`
        SELECT relname::text AS relname, (autovacuum_count + autoanalyze_count)::int AS n FROM pg_stat_user_tables
        WHERE autovacuum_count + autoanalyze_count > 0 ORDER BY relname`;
      console.log(
        `  engine: dry run ${ms(dryRunMs)}, then ${count(deleted)} checks in ${ms(runMs)} (${flags.workers} workers, ${count(durations.length)} transactions, status ${run.value.status})`,
      );
    } finally {
      await close();
    }
    const left = [await remaining(bench.urlFor(engineDb)), bareLeft];
    console.log(
      `  checks left: engine ${count(left[0] ?? 0)}, bare ${count(left[1] ?? 0)} ${left[0] === left[1] ? "(same)" : "(DIFFER)"}\n`,
    );

    const engineRate = (deleted / runMs) * 1000;
    const endToEnd = (deleted / (runMs + dryRunMs)) * 1000;
    const longest = Math.max(0, ...durations);
    console.log(`  bare DELETE rows/s: ${count(Math.round(bareRate))}`);
    console.log(`  engine rows/s (confirm → done): ${count(Math.round(engineRate))}`);
    console.log(
      `  engine rows/s over the run's own span (started → finished, ${ms(ownMs)}, before the storage snapshot): ${count(Math.round((deleted / ownMs) * 1000))}`,
    );
    console.log(
      `  outside the run's own span: ${ms(around.beforeStart)} from confirm to the run's start ` +
        `(the confirming call took ${ms(around.confirmCall)}), ${ms(around.afterFinish)} from its end to the last worker's report`,
    );
    console.log(`  times from the run's end (its finishedAt): ${workerEnds.join("; ")}`);
    console.log(`  engine rows/s including the dry run: ${count(Math.round(endToEnd))}`);
    console.log(
      `  workers' own CPU (Node): ${ms(workerCpuMs)} in all, ${((workerCpuMs / runMs) * 100).toFixed(0)} % of one core over the run`,
    );
    console.log(
      `  autovacuum/autoanalyze passes on the engine's copy by the end: ${vacuums.map((v) => `${v.relname} ${v.n}`).join(", ") || "none"}`,
    );
    const perRow = (cpuMs: number, rows: number) =>
      `${((cpuMs * 1000) / rows).toFixed(1)} µs a row`;
    if (cpu)
      console.log(
        `  database server's CPU: bare ${ms(bareCpuMs)} (${perRow(bareCpuMs, bare.value)}), ` +
          `engine run ${ms(serverCpuMs)} (${perRow(serverCpuMs, deleted)}); workers' Node ${perRow(workerCpuMs, deleted)}`,
      );
    if (statements) printProfile(statements, "the engine run's costliest statements", deleted);
    verdict(
      "engine / bare rows/s",
      `${(engineRate / bareRate).toFixed(2)}×`,
      "≥ 0.85×",
      engineRate / bareRate >= 0.85,
    );
    verdict(
      `longest purge batch (of ${count(batches.count)}, in ${count(batches.sweeps)} sweeps)`,
      ms(batches.longest),
      "≤ 250 ms",
      batches.longest <= 250,
    );
    console.log(`  longest transaction of any kind (bookkeeping included): ${ms(longest)}`);
    console.log(
      `  transaction p50 / p99: ${ms(percentile(durations, 50))} / ${ms(percentile(durations, 99))}`,
    );
    const rssWorker = Math.max(0, ...rssWorkers);
    verdict(
      `peak RSS of a worker process (of ${rssWorkers.length})`,
      mb(rssWorker),
      "≤ 300 MB",
      rssWorker <= 300 * 2 ** 20,
    );
    console.log(
      `  workers' peaks ${rssWorkers.map(mb).join(", ")}; the bench process (dry run, bare DELETE): ` +
        `${mb(rssBefore)} before the engine started, ${mb(rssDryRun)} during the dry run`,
    );
  } finally {
    if (!flags.keep) {
      await dropDatabase(bench.serverUrl, engineDb);
      await dropDatabase(bench.serverUrl, bareDb);
    }
    await bench.stop();
  }
}

runCli(main);
