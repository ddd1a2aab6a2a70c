import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { runAs } from "@/test/database";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged } from "@/test/purge";
import { previewPurge } from "../../plan/preview";

const MIGRATIONS = path.join(import.meta.dirname, "..", "..", "..", "..", "prisma", "migrations");

/** The SQL of the migration whose folder name ends with `suffix`. */
async function migration(suffix: string) {
  const name = (await readdir(MIGRATIONS)).find((d) => d.endsWith(suffix));
  return readFile(path.join(MIGRATIONS, name ?? "", "migration.sql"), "utf8");
}

const digest = (orgId: number, ids: string[]) =>
  createHash("sha256")
    .update(`DRIFT_CHECKS:${orgId}:${[...ids].sort().join(",")}`)
    .digest("hex");

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({ settings: { batchSize: 5 } });
});
afterAll(() => t.close());

describe("a run in flight across the upgrade to sweeps, and then to sweeps of every org", () => {
  it("finishes the drift-check tasks the sweeps migration took over, counting nothing twice", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const admin = await b.user("ADMIN");
    // A plan written one org at a time: each org's checks are consecutive items.
    const orgs = [];
    for (const name of ["Half done", "Not started"]) {
      const org = await b.org("FREE", name);
      const env = await b.env(org.id);
      const gone = [];
      for (const age of [10, 11, 12, 13, 14, 15])
        gone.push((await b.driftCheck(org.id, env.id, age)).id);
      await b.driftCheck(org.id, env.id, 1);
      orgs.push({ org, gone });
    }
    const [half, fresh] = orgs as [(typeof orgs)[0], (typeof orgs)[0]];
    const planId = await previewPurge(t.engine, {
      scope: { orgIds: [half.org.id, fresh.org.id], categories: ["DRIFT_CHECKS"] },
      trigger: "OPERATOR",
      actor: admin,
    });
    const { runId } = await confirmAcknowledged(t.engine, planId, admin);

    // The state the engine left before sweeps: no sweep; the first org's task,
    // held by its worker, had deleted its first 2 items and written their
    // manifest batch; both tasks had jobs on the queue.
    await t.engine.db.purgeSweep.deleteMany({ where: { runId } });
    const items = await t.engine.db.planItem.findMany({
      where: { planId, orgId: half.org.id },
      orderBy: { id: "asc" },
    });
    const done = items.slice(0, 2);
    await t.engine.db.driftCheck.deleteMany({
      where: { id: { in: done.map((i) => i.itemId ?? 0) } },
    });
    const ids = done.map((i) => String(i.itemId));
    const bytes = done.reduce((sum, i) => sum + i.bytes, 0n);
    const task = await t.engine.db.purgeTask.update({
      where: { runId_orgId_category: { runId, orgId: half.org.id, category: "DRIFT_CHECKS" } },
      data: {
        status: "RUNNING",
        deleted: 2,
        bytesFreed: bytes,
        batches: 1,
        settledThrough: done[1]?.id ?? 0n,
        leaseOwner: "engine-before-sweeps",
        leaseUntil: new Date(Date.now() + 3_600_000),
      },
    });
    await t.engine.db.manifestBatch.create({
      data: {
        runId,
        taskId: task.id,
        batchNo: 1,
        orgId: half.org.id,
        category: "DRIFT_CHECKS",
        itemIds: ids,
        sha256: digest(half.org.id, ids),
        bytes,
      },
    });
    const tasks = await t.engine.db.purgeTask.findMany({ where: { runId } });
    await t.engine.queue.enqueue(
      "task",
      tasks.map((k) => k.id),
    );

    // The sweeps migration took each open task over by a sweep of its org's
    // items; the next one makes them stretches like any other.
    const sweepsMigration = await migration("_purge_sweeps");
    await runAs(t.database.ownerUrl, "ALTER TABLE purge_sweeps ADD COLUMN org_id integer");
    await runAs(
      t.database.ownerUrl,
      sweepsMigration.slice(sweepsMigration.indexOf("WITH taken AS")),
    );
    expect(await t.engine.db.purgeSweep.count({ where: { runId } })).toBe(2);
    await runAs(t.database.ownerUrl, await migration("_sweeps_of_every_org"));
    expect(
      await t.engine.queue.withoutJob(
        "task",
        tasks.map((k) => k.id),
      ),
    ).toHaveLength(tasks.length);

    const run = await workToEnd(t.engine, runId);
    expect(run.status).toBe("SUCCEEDED");
    const gone = [...half.gone, ...fresh.gone];
    expect([run.deleted, run.skipped, run.failed]).toEqual([BigInt(gone.length), 0n, 0n]);
    expect(await t.engine.db.driftCheck.count({ where: { id: { in: gone } } })).toBe(0);
    expect(
      await t.engine.db.driftCheck.count({ where: { orgId: { in: [half.org.id, fresh.org.id] } } }),
    ).toBe(2);
    for (const [{ org, gone: mine }, batchNos] of [
      [half, [1, 2]],
      [fresh, [1]],
    ] as const) {
      const after = await t.engine.db.purgeTask.findFirstOrThrow({
        where: { runId, orgId: org.id },
      });
      expect(after).toMatchObject({ status: "SUCCEEDED", deleted: mine.length, skipped: 0 });
      const batches = await t.engine.db.manifestBatch.findMany({ where: { taskId: after.id } });
      expect(batches.map((m) => m.batchNo).sort()).toEqual(batchNos);
      expect(batches.flatMap((m) => m.itemIds).sort()).toEqual(mine.map(String).sort());
      for (const m of batches) expect(m.sha256).toBe(digest(org.id, m.itemIds));
    }
  });
});
