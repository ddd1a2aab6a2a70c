import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ago } from "@/test/builders";
import { categoryWorld, type CategoryWorld } from "@/test/category-world";
import { createTestEngine } from "@/test/engine";
import { purge } from "@/test/purge";

let t: CategoryWorld["t"];
let b: CategoryWorld["b"];
let exists: CategoryWorld["exists"];
beforeAll(async () => {
  ({ t, b, exists } = await categoryWorld());
});
afterAll(() => t.close());

describe("categories whose rule is more than an age: the newest N, a state, an archive, a reference", () => {
  it("backups: the newest N per environment stay (prod 10, test 3, other 5); older ones go with their objects", async () => {
    const org = await b.org("PRO");
    const prod = await b.env(org.id, "prod");
    const test = await b.env(org.id, "test");
    const staging = await b.env(org.id, "staging");
    const prodBackups = [];
    for (let i = 0; i < 12; i++) prodBackups.push(await b.backup(org.id, prod.id, i));
    const testBackups = [];
    for (let i = 0; i < 4; i++) testBackups.push(await b.backup(org.id, test.id, i * 2));
    const stagingBackups = [];
    for (let i = 0; i < 6; i++) stagingBackups.push(await b.backup(org.id, staging.id, i));

    await purge(t.engine, { orgIds: [org.id], categories: ["BACKUPS"] });

    const left = new Set(
      (await t.engine.db.backup.findMany({ where: { orgId: org.id } })).map((x) => x.id),
    );
    const expectKept = (list: { id: number }[], keep: number) =>
      list.forEach((x, i) => expect(left.has(x.id), `backup ${i}`).toBe(i < keep));
    expectKept(prodBackups, 10);
    expectKept(testBackups, 3);
    expectKept(stagingBackups, 5);
    expect(await exists(prodBackups[11]?.objectKey ?? "")).toBe(false);
    expect(await exists(prodBackups[9]?.objectKey ?? "")).toBe(true);
  });

  it("task queue entries go only when finished (completed, cancelled, failed) past 7 days; errors only when resolved past 30", async () => {
    const org = await b.org("BASIC");
    const completedOld = await b.task(org.id, "COMPLETED", 8);
    const failedOld = await b.task(org.id, "FAILED", 8);
    const cancelledOld = await b.task(org.id, "CANCELLED", 9);
    const completedYoung = await b.task(org.id, "COMPLETED", 6);
    const running = await b.task(org.id, "RUNNING", null);
    const queued = await b.task(org.id, "QUEUED", null);
    const resolvedOld = await b.error(org.id, 31);
    const resolvedYoung = await b.error(org.id, 29);
    const unresolved = await b.error(org.id, null);
    await t.engine.db.capturedError.update({
      where: { id: unresolved.id },
      data: { createdAt: ago(3000) },
    });

    await purge(t.engine, { orgIds: [org.id], categories: ["TASK_QUEUE", "ERRORS"] });

    const tasks = await t.engine.db.taskQueueEntry.findMany({ where: { orgId: org.id } });
    expect(tasks.map((x) => x.id).sort()).toEqual(
      [completedYoung.id, running.id, queued.id].sort(),
    );
    expect(tasks.some((x) => [completedOld.id, failedOld.id, cancelledOld.id].includes(x.id))).toBe(
      false,
    );
    const errors = await t.engine.db.capturedError.findMany({ where: { orgId: org.id } });
    expect(errors.map((x) => x.id).sort()).toEqual([resolvedYoung.id, unresolved.id].sort());
    expect(errors.some((x) => x.id === resolvedOld.id)).toBe(false);
  });

  it("prompts are archived after 14 days, never deleted", async () => {
    const org = await b.org("FREE");
    const old = await b.prompt(org.id, 15);
    const young = await b.prompt(org.id, 13);
    const archived = await b.prompt(org.id, 100, true);
    const archivedAt = archived.archivedAt;

    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["PROMPTS"] });

    const prompts = await t.engine.db.prompt.findMany({ where: { orgId: org.id } });
    expect(prompts).toHaveLength(3);
    expect(prompts.find((p) => p.id === old.id)?.archivedAt).toBeInstanceOf(Date);
    expect(prompts.find((p) => p.id === young.id)?.archivedAt).toBeNull();
    expect(prompts.find((p) => p.id === archived.id)?.archivedAt).toEqual(archivedAt);
    expect(Number(run.deleted)).toBe(1);
    expect(Number(run.bytesFreed)).toBe(0);
  });

  it("orphan objects: unreferenced objects past 5 days go; referenced objects are never swept", async () => {
    const org = await b.org("PRO");
    const artifact = await b.artifact(org.id, 1);
    const env = await b.env(org.id);
    const backup = await b.backup(org.id, env.id, 1);
    const orphan = `orgs/${org.id}/tmp/leftover.bin`;
    await t.engine.store.put(orphan, "leftover");
    const otherOrg = await b.org("PRO");
    const elsewhere = `orgs/${otherOrg.id}/tmp/other.bin`;
    await t.engine.store.put(elsewhere, "other org");

    // S3 cannot backdate an object: move the engine's clock instead.
    const later = (days: number) => () => new Date(Date.now() + days * 86_400_000);
    const early = await createTestEngine({ database: t.database, now: later(3) });
    try {
      await purge(early.engine, { orgIds: [org.id], categories: ["ORPHAN_OBJECTS"] });
    } finally {
      await early.close();
    }
    expect(await exists(orphan)).toBe(true);

    const late = await createTestEngine({ database: t.database, now: later(6) });
    try {
      const { run } = await purge(late.engine, {
        orgIds: [org.id],
        categories: ["ORPHAN_OBJECTS"],
      });
      expect(Number(run.deleted)).toBe(1);
    } finally {
      await late.close();
    }
    expect(await exists(orphan)).toBe(false);
    expect(await exists(artifact.objectKey)).toBe(true);
    expect(await exists(backup.objectKey)).toBe(true);
    expect(await exists(elsewhere)).toBe(true);
  });
});
