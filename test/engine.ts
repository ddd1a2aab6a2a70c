import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Engine, EngineSettings } from "../server/retention/deps";
import { DEFAULT_SETTINGS } from "../server/retention/deps";
import { drain } from "../server/retention/run/worker";
import { startPurgeQueue } from "../server/retention/run/queue";
import type { Log } from "../server/log";
import type { ObjectStore } from "../server/storage";
import { LocalStore } from "../server/storage/local-store";
import { createTestDatabase, type TestDatabase } from "./database";
import { testLog } from "./log";
import { NO_RESTORE_WINDOWS } from "./restore-windows";
import { testS3Store } from "./storage";
import { testNoticeChannels } from "./notices";

/** The key test engines sign evidence packs with. */
export const TEST_EVIDENCE_KEY = generateKeyPairSync("ed25519").privateKey;

/** The clock most engine tests run at. */
export const NOW = new Date("2026-11-22T12:00:00Z");

export type TestEngine = { engine: Engine; database: TestDatabase; close: () => Promise<void> };

/** An engine on a database of its own, the test S3 server (or a given store) and a real pg-boss queue. */
export async function createTestEngine(
  options: {
    store?: ObjectStore;
    /**
     * A local store in a folder of its own, removed on close: unlike S3, it
     * backdates objects, which orphan sweeping ages by.
     */
    backdatingStore?: string;
    settings?: Partial<EngineSettings>;
    /**
     * The restore windows: none by default (a purge deletes at once, what
     * most tests are about), or PRODUCT.md's for tests of the window.
     */
    restoreWindows?: "none" | "product";
    now?: () => Date;
    database?: TestDatabase;
    /** Where the engine logs (default: nowhere unless LOG_LEVEL asks; see captureLog). */
    log?: Log;
  } = {},
): Promise<TestEngine> {
  const database = options.database ?? (await createTestDatabase());
  const folder = options.backdatingStore
    ? await mkdtemp(path.join(os.tmpdir(), `lethe-${options.backdatingStore}-`))
    : null;
  const settings: EngineSettings = {
    ...DEFAULT_SETTINGS,
    ...options.settings,
    policy: {
      ...(options.restoreWindows === "product" ? {} : NO_RESTORE_WINDOWS),
      ...options.settings?.policy,
    },
  };
  const log = options.log ?? testLog();
  const queue = await startPurgeQueue(database.url, {
    leaseSeconds: settings.leaseSeconds,
    retryLimit: settings.maxTaskAttempts,
    // A failed notice delivery is retried after 1 s, then 2 s: a test of retries stays short.
    noticeRetrySeconds: 1,
    log,
  });
  const engine: Engine = {
    db: database.db,
    databaseUrl: database.url,
    store: folder ? new LocalStore(folder) : (options.store ?? testS3Store()),
    queue,
    settings,
    workerId: `test-${randomBytes(3).toString("hex")}`,
    now: options.now ?? (() => NOW),
    log,
    evidenceKey: () => TEST_EVIDENCE_KEY,
    notices: testNoticeChannels(),
  };
  return {
    engine,
    database,
    close: async () => {
      await queue.stop();
      if (!options.database) await database.drop();
      if (folder) await rm(folder, { recursive: true, force: true });
    },
  };
}

/**
 * Drains until the run has settled (or fails the test after `timeoutMs`),
 * with `workers` drains side by side as separate workers would.
 */
export async function workToEnd(engine: Engine, runId: string, timeoutMs = 60_000, workers = 1) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
    if (run.status !== "RUNNING") return run;
    if (Date.now() > until) throw new Error(`Run ${runId} still RUNNING after ${timeoutMs} ms`);
    const reports = await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        drain(
          i === 0 ? engine : { ...engine, workerId: `${engine.workerId}-${i}` },
          Date.now() + 10_000,
        ),
      ),
    );
    if (reports.every((r) => r.jobsWorked === 0)) await new Promise((r) => setTimeout(r, 200));
  }
}
