import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRandom } from "@/prisma/seed/random";
import { workThenDie } from "@/test/crash-worker";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { startFaultProxy } from "@/test/s3-fault-proxy";
import { startS3Server } from "@/test/s3-server";
import { inParallel, seedWorld, writeRowObjects, type WorldSize } from "@/test/scale-world";
import { testLog } from "@/test/log";
import { testS3Store } from "@/test/storage";
import { runEvidence, worldState } from "@/test/world-state";
import { confirmPlan } from "../plan/confirm";
import { startPurgeQueue } from "./queue";
import { previewPurge } from "../plan/preview";

/** LETHE_CRASHES=n for another count. */
const RUNS = Number(process.env.LETHE_CRASHES ?? 30);
/** Stretches of 20 drift checks: kills also land in sweeps and in their ends. */
const SETTINGS = { batchSize: 25, sweepItems: 20, leaseSeconds: 2, maxTaskAttempts: 50 };
const SIZE: WorldSize = {
  orgs: 4,
  artifacts: 160,
  driftChecks: 80,
  incidents: 30,
  approvals: 30,
  imageAnalyses: 20,
  memoryItems: 30,
  sceneIterations: 20,
  backups: 70,
  tasks: 20,
  errors: 20,
  prompts: 20,
  holdShare: 0.05,
};
// A month ahead of the wall clock: objects written now are old enough to be orphans.
const NOW = new Date(Date.now() + 30 * 86_400_000);

let s3: Awaited<ReturnType<typeof startS3Server>>;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let pristine: TestDatabase;
let admin: pg.Client;
/** Objects no row references: three per org. */
let orphans: string[];
beforeAll(async () => {
  const buckets = ["control", ...Array.from({ length: RUNS }, (_, i) => `crash-${i}`)];
  s3 = await startS3Server(buckets);
  // Latency on every S3 request stretches batches, so kills land inside them.
  proxy = await startFaultProxy(s3.endpoint, { latencyMs: 15 });
  pristine = await createTestDatabase();
  await seedWorld(pristine.db, NOW, SIZE);
  const orgs = await pristine.db.organization.findMany({ select: { id: true } });
  orphans = orgs.flatMap((o) => [0, 1, 2].map((i) => `orgs/${o.id}/tmp/${i}.bin`));
  // The queue's schema, once, so that every copy starts with it.
  await (
    await startPurgeQueue(pristine.url, { leaseSeconds: 2, retryLimit: 50, log: testLog() })
  ).stop();
  await pristine.db.$disconnect();
  admin = new pg.Client({ connectionString: inject("pgServerUrl") });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await pristine.drop();
  await proxy.stop();
  s3.stop();
});

/** A copy of the pristine world: its own database and its own bucket with every object. */
async function copyOfWorld(bucket: string): Promise<TestEngine> {
  const database = await createTestDatabase({ template: pristine.name });
  const store = testS3Store({ endpoint: proxy.endpoint, bucket });
  const direct = testS3Store({ endpoint: s3.endpoint, bucket });
  await writeRowObjects(database.db, [direct]);
  await inParallel(orphans, 8, (key) => direct.put(key, "x"));
  const t = await createTestEngine({ database, store, settings: SETTINGS, now: () => NOW });
  return {
    ...t,
    close: async () => {
      await t.close();
      await database.drop();
    },
  };
}

async function confirmedRun(t: TestEngine) {
  const planId = await previewPurge(t.engine, {
    scope: { orgIds: null, categories: null },
    trigger: "OPERATOR",
    actor: "system",
  });
  const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
  const acknowledgement = (plan.guardrails as { confirmPhrase: string }).confirmPhrase;
  return (await confirmPlan(t.engine, { planId, actor: "system", acknowledgement })).runId;
}

/** What a user sees after a run: rows, objects, and the run's own account of it. */
async function outcome(t: TestEngine, runId: string) {
  const { rows, objects, dangling } = await worldState(t.engine.db, t.engine.store);
  return { rows, objects, dangling, evidence: await runEvidence(t.engine.db, runId) };
}

/** Whether a batch transaction of the worker was open: its connections carry no application name. */
async function batchOpen(database: string) {
  const { rows } = await admin.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = $1 AND xact_start IS NOT NULL AND application_name = ''`,
    [database],
  );
  return (rows[0] as { n: number }).n > 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Expected = Awaited<ReturnType<typeof outcome>>;

/**
 * One run on a fresh copy of the world: a worker process purges it and is
 * SIGKILLed after a random number of its batches, then up to a batch's time
 * more (between batches, inside one, mid-request, mid-commit); the run is
 * resumed to its end and compared with the uninterrupted one.
 */
async function crashRun(i: number, expected: Expected, batchesInAll: number) {
  const random = createRandom(1000 + i);
  const t = await copyOfWorld(`crash-${i}`);
  const runId = await confirmedRun(t);
  const batches = () => t.engine.db.manifestBatch.count({ where: { runId } });
  let open = false;
  const bucket = `crash-${i}`;
  await workThenDie(
    { databaseUrl: t.database.url, s3Endpoint: proxy.endpoint, bucket, ...SETTINGS, now: NOW },
    async () => {
      const after = random.int(1, batchesInAll - 3);
      while ((await batches()) < after) await sleep(2);
      await sleep(random.int(0, 30));
      open = await batchOpen(t.database.name);
    },
  );
  const killed = await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
  expect(killed.status, `run ${i + 1} was still working when killed`).toBe("RUNNING");
  await workToEnd(t.engine, runId, 120_000);
  const got = await outcome(t, runId);
  await t.close();
  expect(got.dangling, `run ${i + 1}: rows whose object is gone`).toEqual([]);
  expect(got.rows, `run ${i + 1}: rows left`).toEqual(expected.rows);
  expect(got.objects, `run ${i + 1}: objects left`).toEqual(expected.objects);
  // Counts, bytes freed, totals and manifest: nothing counted twice or lost.
  expect(got.evidence, `run ${i + 1}: the run's evidence`).toEqual(expected.evidence);
  expect(got.evidence.manifestBytes).toBe(got.evidence.bytesFreed);
  return open;
}

describe("crash anywhere: a purge killed at a random point resumes to the uninterrupted end", () => {
  it(
    `${RUNS} runs, each SIGKILLed once mid-purge, end exactly like the run nobody killed`,
    { timeout: 600_000 },
    async () => {
      const control = await copyOfWorld("control");
      const controlRun = await confirmedRun(control);
      await workToEnd(control.engine, controlRun);
      const expected = await outcome(control, controlRun);
      const batchesInAll = await control.engine.db.manifestBatch.count({
        where: { runId: controlRun },
      });
      await control.close();
      expect(expected.evidence.status).toBe("SUCCEEDED");
      expect(batchesInAll).toBeGreaterThan(10);

      // Two runs at a time, each with its own database, bucket and worker.
      let midBatch = 0;
      const runs = Array.from({ length: RUNS }, (_, i) => i);
      await inParallel(runs, 2, async (i) => {
        if (await crashRun(i, expected, batchesInAll)) midBatch++;
      });
      console.log(
        `crash anywhere: ${RUNS} runs SIGKILLed once each after a random number of its ${batchesInAll} ` +
          `batches (${midBatch} kills with a batch transaction open); every run resumed to ` +
          `${expected.evidence.status}: ${expected.evidence.deleted} items, ${expected.evidence.bytesFreed} ` +
          `bytes freed, the rows of 13 tables and ${expected.objects.length} objects left, all equal to ` +
          `the uninterrupted run's; no row without its object`,
      );
    },
  );
});
