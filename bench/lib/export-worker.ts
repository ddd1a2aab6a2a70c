import { workExports } from "../../server/retention/exports/exports";
import { LocalStore } from "../../server/storage/local-store";
import { S3Store, type S3StoreConfig } from "../../server/storage/s3-store";
import { benchEngine } from "./engine";
import { peakRss } from "./report";
import { runCli } from "../../scripts/cli";

/** What the export worker reports once the queue has no export left. */
export type ExportWorkerReport = {
  peakRss: number;
  /** Peak RSS before the first export was taken: the process with its engine, idle. */
  idleRss: number;
  /** Most JavaScript heap in use, and most memory in Buffers, sampled every 20 ms while it built. */
  heapUsed: number;
  arrayBuffers: number;
  cpuMs: number;
  ms: number;
  exports: number;
};

/** Where the worker's store is: an S3 config, or a local folder. */
export type WorkerStore = { s3: S3StoreConfig } | { local: string };

/**
 * An export worker in a process of its own, as `npm run worker` builds
 * queued exports in production: builds every queued export (the bench
 * queues one), then prints its peak resident memory, CPU and wall time as
 * JSON.
 */
async function main() {
  const [url, where] = process.argv.slice(2);
  if (!url || !where) throw new Error("Usage: export-worker.ts <database url> <store JSON>");
  const store = JSON.parse(where) as WorkerStore;
  const { engine, close } = await benchEngine(url, {
    connections: 4,
    store: "s3" in store ? new S3Store(store.s3) : new LocalStore(store.local),
  });
  const idleRss = peakRss();
  const most = { heapUsed: 0, arrayBuffers: 0 };
  const sampling = setInterval(() => {
    const now = process.memoryUsage();
    most.heapUsed = Math.max(most.heapUsed, now.heapUsed);
    most.arrayBuffers = Math.max(most.arrayBuffers, now.arrayBuffers);
  }, 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let exports = 0;
  try {
    exports = await workExports(engine);
  } finally {
    clearInterval(sampling);
    await close();
  }
  const report: ExportWorkerReport = {
    peakRss: peakRss(),
    idleRss,
    ...most,
    cpuMs: (({ user, system }) => Math.round((user + system) / 1000))(process.cpuUsage(cpu)),
    ms: Math.round(performance.now() - started),
    exports,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

runCli(main);
