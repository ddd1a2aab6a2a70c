import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { refuseDeletes, runAs } from "@/test/database";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { DEFAULT_SETTINGS } from "../deps";
import { runDetail } from "../../console/run-views";

let t: TestEngine;
let b: ReturnType<typeof builders>;
let admin: { id: number };
beforeAll(async () => {
  // One attempt: a failure charged to the wrong task would be final, not retried away.
  t = await createTestEngine({ settings: { maxTaskAttempts: 1 } });
  b = builders(t.engine.db, t.engine.store);
  admin = await b.user("ADMIN");
});
afterAll(() => t.close());

const purgeQueue = async (orgIds: number[]) =>
  (await purge(t.engine, { orgIds, categories: ["TASK_QUEUE", "ERRORS"] }, admin)).run;

describe("failure isolation", () => {
  it("one org × category that keeps failing ends PARTIAL with its error; the others, in the same batches, are purged", async () => {
    const orgs = [await b.org("FREE"), await b.org("FREE"), await b.org("FREE")];
    for (const org of orgs) {
      for (let i = 0; i < 3; i++) await b.task(org.id, "COMPLETED", 10 + i);
      await b.error(org.id, 40);
    }
    // Between the others, so a batch holds its items with theirs on both sides.
    const [first, refused, last] = orgs;
    const others = [first, last].flatMap((o) => (o ? [o] : []));
    // The governed SaaS refuses to let one org's finished tasks go (a trigger of its own).
    await refuseDeletes(t.database.ownerUrl, {
      name: "refuse_task_delete",
      table: "task_queue_entries",
      when: `OLD.org_id = ${refused?.id}`,
      message: "task % is still referenced by a render job",
    });

    const run = await purgeQueue(orgs.map((o) => o.id));
    expect(run.status).toBe("PARTIAL");
    const left = (orgId: number) =>
      t.engine.db.taskQueueEntry.count({ where: { orgId, status: "COMPLETED" } });
    expect(await left(refused?.id ?? 0)).toBe(3);
    for (const org of others) expect(await left(org.id)).toBe(0);
    // The same org's other category is not held back by it.
    expect(await t.engine.db.capturedError.count({ where: { orgId: refused?.id } })).toBe(0);

    const detail = await runDetail(t.engine.db, run.id, {
      offset: 0,
      limit: 10,
      onlyProblems: true,
    });
    expect(detail.tasks).toHaveLength(1);
    expect(detail.tasks[0]).toMatchObject({
      orgId: refused?.id,
      category: "TASK_QUEUE",
      status: "FAILED",
    });
    expect(detail.tasks[0]?.lastError).toMatch(/still referenced by a render job/);

    // Once the SaaS lets go, the next run purges what was left.
    await runAs(t.database.ownerUrl, `DROP TRIGGER refuse_task_delete ON task_queue_entries`);
    const again = await purgeQueue([refused?.id ?? 0]);
    expect(again.status).toBe("SUCCEEDED");
    expect(await left(refused?.id ?? 0)).toBe(0);
  });

  it("a task that fails after some of its batches committed: what they deleted reaches the metrics' totals", async () => {
    const org = await b.org("BASIC");
    const entries = [];
    for (let i = 0; i < 5; i++) entries.push(await b.task(org.id, "COMPLETED", 10 + i));
    const last = entries.at(-1)?.id ?? 0;
    await refuseDeletes(t.database.ownerUrl, {
      name: "refuse_last_delete",
      table: "task_queue_entries",
      when: `OLD.id = ${last}`,
      message: "task % is still referenced by a render job",
    });
    const totals = () =>
      t.engine.db.purgeTotal.findUnique({
        where: { plan_category: { plan: "BASIC", category: "TASK_QUEUE" } },
      });
    const before = await totals();
    // Batches of 2: two commit, the one holding the refused entry fails.
    t.engine.settings.batchSize = 2;
    const run = await purge(t.engine, { orgIds: [org.id], categories: ["TASK_QUEUE"] }, admin);
    t.engine.settings.batchSize = DEFAULT_SETTINGS.batchSize;
    await runAs(t.database.ownerUrl, `DROP TRIGGER refuse_last_delete ON task_queue_entries`);

    const task = await t.engine.db.purgeTask.findFirstOrThrow({ where: { runId: run.run.id } });
    expect(task).toMatchObject({ status: "FAILED", deleted: 4 });
    const after = await totals();
    expect((after?.deleted ?? 0n) - (before?.deleted ?? 0n)).toBe(4n);
    expect((after?.bytesFreed ?? 0n) - (before?.bytesFreed ?? 0n)).toBe(task.bytesFreed);
  });
});
