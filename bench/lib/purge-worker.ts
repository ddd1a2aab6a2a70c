import { createInterface } from "node:readline";
import { drain } from "../../server/retention/run/worker";
import { benchEngine } from "./engine";
import { peakRss } from "./report";
import { timingTransactions } from "./timing";
import { runCli } from "../../scripts/cli";

/**
 * What a bench worker reports when its run has ended; `lastDrainAt`: when
 * its last drain that worked a job returned, `sawEndAt`: when it read the
 * run ended (ms since epoch, this machine's clock).
 */
export type WorkerReport = {
  peakRss: number;
  cpuMs: number;
  transactions: number[];
  lastDrainAt: number;
  sawEndAt: number;
};

/**
 * A purge worker in a process of its own, as `npm run worker` runs in
 * production. Started before the run, it prints "ready", reads the run's id
 * from stdin, drains the queue until that run has ended, then prints its
 * peak resident memory, the CPU time it spent on the run and the length of
 * each transaction it opened, as one JSON line, then closes its connections.
 */
async function main() {
  const url = process.argv[2];
  if (!url) throw new Error("Usage: purge-worker.ts <database url>, then the run id on stdin");
  const transactions: number[] = [];
  const { engine, close } = await benchEngine(url);
  process.stdout.write("ready\n");
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const runId = String((await lines.next()).value ?? "").trim();
  const cpu = process.cpuUsage();
  const worker = { ...engine, db: timingTransactions(engine.db, transactions) };
  let lastDrainAt = 0;
  try {
    for (;;) {
      const run = await engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
      if (run.status !== "RUNNING") break;
      const report = await drain(worker, Date.now() + 60_000);
      if (report.jobsWorked === 0) await new Promise((r) => setTimeout(r, 100));
      else lastDrainAt = Date.now();
    }
    const report: WorkerReport = {
      peakRss: peakRss(),
      cpuMs: (({ user, system }) => Math.round((user + system) / 1000))(process.cpuUsage(cpu)),
      transactions: transactions.map(Math.round),
      lastDrainAt,
      sawEndAt: Date.now(),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await close();
  }
}

runCli(main);
