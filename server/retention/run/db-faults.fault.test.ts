import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Artifact } from "@/server/generated/prisma/client";
import { builders } from "@/test/builders";
import { TEST_POOL_SIZE } from "@/test/database";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { startFaultProxy } from "@/test/s3-fault-proxy";
import { inParallel } from "@/test/scale-world";
import { testS3Store } from "@/test/storage";

const BATCH = 50;
/** More than the pool has connections: each drop must give its connection's slot back. */
const IDLE_DROPS = TEST_POOL_SIZE + 1;
let t: TestEngine;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let locker: pg.Client;
let killer: pg.Client;
let lockerPid: number;
beforeAll(async () => {
  proxy = await startFaultProxy(inject("s3Endpoint"));
  t = await createTestEngine({
    store: testS3Store({ endpoint: proxy.endpoint }),
    settings: { batchSize: BATCH },
  });
  locker = new pg.Client({ connectionString: t.database.url });
  killer = new pg.Client({ connectionString: t.database.url });
  await Promise.all([locker.connect(), killer.connect()]);
  lockerPid = ((await locker.query("SELECT pg_backend_pid() AS pid")).rows[0] as { pid: number })
    .pid;
});
afterAll(async () => {
  await Promise.all([locker.end(), killer.end()]);
  await t.close();
  await proxy.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An org with `count` eligible artifacts (ascending ids, so batch k holds ids [k·50, k·50+50)) and 10 young ones. */
async function orgWithArtifacts(count: number) {
  const b = builders(t.engine.db, testS3Store());
  const org = await b.org("FREE");
  const old: Artifact[] = [];
  await inParallel(Array.from({ length: count }), 8, async () => {
    old.push(await b.artifact(org.id, 40 + Math.random() * 50, { bytes: 10 }));
  });
  const young: Artifact[] = [];
  for (let i = 0; i < 10; i++) young.push(await b.artifact(org.id, 1));
  old.sort((a, b) => a.id - b.id);
  const batch = (k: number) => old.slice(k * BATCH, (k + 1) * BATCH);
  return { org, old, young, batch };
}

/** Backends of the engine waiting on the locker's row lock. */
async function blockedByLocker() {
  const { rows } = await killer.query(
    `SELECT pid, query_start::text AS started, query FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`,
    [lockerPid],
  );
  return rows as { pid: number; started: string; query: string }[];
}

async function rowsLeft(artifacts: Artifact[]) {
  return t.engine.db.artifact.count({ where: { id: { in: artifacts.map((a) => a.id) } } });
}

/** Eligible rows and objects gone, young ones intact, every item counted once as deleted. */
async function expectCleanEnd(world: Awaited<ReturnType<typeof orgWithArtifacts>>, runId: string) {
  const run = await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
  expect(run.status).toBe("SUCCEEDED");
  expect([run.deleted, run.skipped, run.failed]).toEqual([BigInt(world.old.length), 0n, 0n]);
  expect(run.bytesFreed).toBe(BigInt(world.old.length * 10));
  const manifest = (await t.engine.db.manifestBatch.findMany({ where: { runId } })).flatMap(
    (m) => m.itemIds,
  );
  expect(manifest.sort()).toEqual(world.old.map((a) => String(a.id)).sort());
  expect(await rowsLeft(world.old)).toBe(0);
  expect(await rowsLeft(world.young)).toBe(world.young.length);
  const store = testS3Store();
  for (const a of [...world.old.slice(0, 20), ...world.young])
    expect(Boolean(await store.head(a.objectKey)), `object of ${a.id}`).toBe(
      world.young.includes(a),
    );
}

/** An org's environment with `count` eligible drift checks (1–3 flags each) and its latest one. */
async function envWithChecks(count: number) {
  const b = builders(t.engine.db, testS3Store());
  const org = await b.org("FREE");
  const env = await b.env(org.id);
  const old: number[] = [];
  for (let i = 0; i < count; i++)
    old.push((await b.driftCheck(org.id, env.id, 8 + i / 10, 1 + (i % 3))).id);
  const latest = await b.driftCheck(org.id, env.id, 7.5, 2);
  return { org, old, latest: latest.id };
}

/**
 * Waits until the org's task records why its batch failed: a statement
 * timeout, after at least 3 attempts blocked by the locker (the retries in
 * place). Returns how many there were and the task as it then stood.
 */
async function timedOut(orgId: number) {
  const attempts = new Set<string>();
  const task = () => t.engine.db.purgeTask.findFirst({ where: { orgId } });
  while (!(await task())?.lastError) {
    for (const b of await blockedByLocker()) attempts.add(`${b.pid}@${b.started}`);
    await sleep(20);
  }
  const failed = await task();
  expect(failed?.lastError).toMatch(/canceling statement due to statement timeout/);
  expect(attempts.size).toBeGreaterThanOrEqual(3);
  return { attempts: attempts.size, task: failed };
}

const checksLeft = (ids: number[]) => t.engine.db.driftCheck.count({ where: { id: { in: ids } } });

describe("database faults roll a batch back whole; it is retried", () => {
  it(`the connection dropped mid-batch, ${IDLE_DROPS + 1} times: more than the pool's ${TEST_POOL_SIZE} connections`, async () => {
    const world = await orgWithArtifacts(12 * BATCH);
    // Slow S3 keeps each batch's transaction open (idle) while its objects are deleted.
    proxy.setFaults({ latencyMs: 300 });
    const purging = purge(t.engine, { orgIds: [world.org.id], categories: ["ARTIFACTS"] });

    /** A batch transaction idle while its DeleteObjects is in flight, not one already dropped. */
    const batchAwaitingS3 = async (dropped: Set<number>) => {
      for (;;) {
        const { rows } = await killer.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'
             AND query LIKE '%legal_holds%' AND now() - state_change > interval '50 ms'`,
        );
        const found = (rows as { pid: number }[]).find((r) => !dropped.has(r.pid));
        if (found) return found.pid;
        await sleep(10);
      }
    };
    const dropped = new Set<number>();
    while (dropped.size < IDLE_DROPS) {
      const pid = await batchAwaitingS3(dropped);
      await killer.query("SELECT pg_terminate_backend($1)", [pid]);
      dropped.add(pid);
    }

    // One more once a batch has deleted its rows: another session writing the
    // manifest batch this one is about to write (same task, same number)
    // makes its bookkeeping wait, its deletes done but not committed.
    const pid = await batchAwaitingS3(dropped);
    const task = await t.engine.db.purgeTask.findFirstOrThrow({ where: { orgId: world.org.id } });
    await locker.query("BEGIN");
    await locker.query(
      `INSERT INTO manifest_batches (run_id, task_id, batch_no, org_id, category, item_ids, sha256, bytes)
       VALUES ($1, $2, $3, $4, 'ARTIFACTS', '{}', '', 0)`,
      [task.runId, task.id, task.batches + 1, world.org.id],
    );
    let waiting: { pid: number; query: string } | undefined;
    while (!waiting) [waiting] = await blockedByLocker();
    expect(waiting.pid).toBe(pid);
    // The bookkeeping statement: counters and cursors, then this manifest batch.
    expect(waiting.query).toMatch(/^\s*WITH worked AS \([\s\S]+updated AS \(\s+UPDATE purge_tasks/);
    // Nothing of it shows outside: each row still there is one its task has not settled.
    const pending = await t.engine.db.planItem.count({
      where: { orgId: world.org.id, id: { gt: task.settledThrough } },
    });
    expect(await rowsLeft(world.old)).toBe(pending);
    await killer.query("SELECT pg_terminate_backend($1)", [pid]);
    await locker.query("ROLLBACK");

    const { run } = await purging;
    proxy.setFaults({});
    await expectCleanEnd(world, run.id);
    console.log(
      `database faults: ${IDLE_DROPS + 1} engine connections terminated mid-batch, more than the pool's ` +
        `${TEST_POOL_SIZE} (${IDLE_DROPS} idle in their transaction while DeleteObjects ran, 1 after ` +
        `"DELETE FROM artifacts" with the batch not yet committed); every batch rolled back whole and ` +
        `was retried: run ${run.status}, ${run.deleted} of ${world.old.length} deleted, ${run.skipped} ` +
        `skipped, ${run.failed} failed, nothing counted twice`,
    );
  });

  it("a statement timeout: the batch outwaits a lock, is cancelled, rolls back, and is retried", async () => {
    const world = await orgWithArtifacts(4 * BATCH);
    t.engine.settings.batchStatementTimeoutMs = 400;
    await locker.query("BEGIN");
    await locker.query("SELECT id FROM artifacts WHERE id = $1 FOR UPDATE", [
      world.batch(1)[0]?.id,
    ]);
    const purging = purge(t.engine, { orgIds: [world.org.id], categories: ["ARTIFACTS"] });

    // Hold the lock until the batch has timed out on every in-place retry and its task records why.
    const { attempts, task } = await timedOut(world.org.id);
    expect(await rowsLeft(world.batch(1)), "the cancelled batch deleted no row").toBe(BATCH);
    await locker.query("ROLLBACK");

    const { run } = await purging;
    t.engine.settings.batchStatementTimeoutMs = undefined;
    await expectCleanEnd(world, run.id);
    console.log(
      `database faults: a batch blocked by another session's lock hit a 400 ms statement_timeout ` +
        `${attempts} times (task error: "${task?.lastError?.match(/canceling[^`]*/)?.[0]}"); each rolled back ` +
        `whole; after the lock went the batch was retried: run ${run.status}, ${run.deleted} deleted, ` +
        `${run.skipped} skipped, ${run.failed} failed`,
    );
  });

  it("a statement timeout inside the one statement that purges drift checks: nothing of it stays", async () => {
    const world = await envWithChecks(3 * BATCH);
    t.engine.settings.batchStatementTimeoutMs = 400;
    const locked = world.old[BATCH + 5] ?? 0;
    await locker.query("BEGIN");
    await locker.query("SELECT id FROM drift_checks WHERE id = $1 FOR UPDATE", [locked]);
    const purging = purge(t.engine, { orgIds: [world.org.id], categories: ["DRIFT_CHECKS"] });

    const { attempts, task } = await timedOut(world.org.id);
    // The first batch committed; the cancelled one took the next 50, and none of them went.
    const sweep = await t.engine.db.purgeSweep.findFirstOrThrow({ where: { runId: task?.runId } });
    expect([sweep.deleted, sweep.batches]).toEqual([BATCH, 1]);
    expect(
      await checksLeft(world.old.slice(BATCH, 2 * BATCH)),
      "the cancelled batch deleted no check",
    ).toBe(BATCH);
    await locker.query("ROLLBACK");

    const { run } = await purging;
    t.engine.settings.batchStatementTimeoutMs = undefined;
    expect(run.status).toBe("SUCCEEDED");
    expect([run.deleted, run.skipped, run.failed]).toEqual([BigInt(world.old.length), 0n, 0n]);
    expect(await checksLeft(world.old)).toBe(0);
    expect(await checksLeft([world.latest]), "the environment's latest check").toBe(1);
    const flags = await t.engine.db.workflowFlag.count({
      where: { driftCheckId: { in: world.old } },
    });
    expect(flags, "the purged checks' workflow flags").toBe(0);
    const manifest = (
      await t.engine.db.manifestBatch.findMany({ where: { runId: run.id } })
    ).flatMap((m) => m.itemIds);
    expect(manifest.sort()).toEqual(world.old.map(String).sort());
    console.log(
      `database faults: the statement that re-checks and deletes a batch of drift checks waited on a ` +
        `locked check and hit a 400 ms statement_timeout ${attempts} times; its deletes and its ` +
        `sweep's cursor and counters rolled back each time; after the lock went: run ${run.status}, ` +
        `${run.deleted} deleted, ${run.skipped} skipped, ${run.failed} failed, the latest check kept`,
    );
  });
});
