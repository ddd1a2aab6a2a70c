import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { dumpObjects, dumpTables } from "@/test/table-dump";
import { restorableOfRun } from "./restorable";
import { restoreItems } from "./restore";

const DAY = 86_400_000;
let clock = NOW;
let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine({ restoreWindows: "product", now: () => clock });
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

/** An org with old items of every category that has a restore window, and of two without. */
async function oldWorld() {
  const org = await b.org("BASIC");
  const env = await b.env(org.id, "test");
  const artifact = await b.artifact(org.id, 100);
  await b.imageAnalysis(org.id, 1, artifact.id);
  await b.imageAnalysis(org.id, 40, artifact.id);
  const incident = await b.incident(org.id, env.id, "CLOSED", 200);
  await b.approval(org.id, incident.id, 200);
  await b.approval(org.id, incident.id, 190);
  await b.memory(org.id, "conversation_context", 100);
  await b.memory(org.id, "fact", 200);
  await b.sceneIteration(org.id, 70);
  for (const days of [50, 40, 30, 20, 10]) await b.backup(org.id, env.id, days);
  await b.task(org.id, "COMPLETED", 30);
  await b.error(org.id, 40);
  return { org, artifact, incident };
}

const admin = async () => ({ id: (await b.user("ADMIN")).id });

describe("the restore window", () => {
  it("a purge keeps items in their window, objects untouched; a restored run is the world before it, byte for byte", async () => {
    const { org, artifact, incident } = await oldWorld();
    const tables = await dumpTables(t.engine.db);
    const objects = await dumpObjects(t.engine.store, [org.id]);

    const { run } = await purge(t.engine, { orgIds: [org.id], categories: null });

    expect(run.status).toBe("SUCCEEDED");
    expect(await t.engine.db.artifact.count({ where: { id: artifact.id } })).toBe(0);
    expect(await dumpObjects(t.engine.store, [org.id])).toEqual(objects);
    const payload = await t.engine.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(payload.payloadPurgedAt).not.toBeNull();
    // Bytes are freed at the final deletion; items without a window are gone at once.
    const tasks = await t.engine.db.purgeTask.findMany({ where: { runId: run.id } });
    const kept = tasks.filter((k) => !["TASK_QUEUE", "ERRORS"].includes(k.category));
    expect(kept.every((k) => k.bytesFreed === 0n && k.deleted > 0)).toBe(true);
    const restorable = await restorableOfRun(t.engine, run.id);
    expect(restorable.map((r) => [r.category, r.items]).sort()).toEqual(
      [
        ["APPROVALS", 2],
        ["ARTIFACTS", 1],
        ["BACKUPS", 2],
        ["CONVERSATION_CONTEXT", 1],
        ["IMAGE_ANALYSES", 1],
        ["INCIDENT_PAYLOADS", 1],
        ["PROJECT_MEMORY", 1],
        ["SCENE_ITERATIONS", 1],
      ].sort(),
    );
    expect(restorable[0]?.restorableUntil).toEqual(new Date(NOW.getTime() + 7 * DAY));

    await t.engine.db.forecastDirtyPair.deleteMany({ where: { orgId: org.id } });
    const restored = await restoreItems(t.engine, { runId: run.id }, await admin());

    expect(restored.items).toBe(10);
    const after = await dumpTables(t.engine.db);
    const withoutWindow = ["task_queue_entries", "errors"];
    for (const table of Object.keys(tables).filter((name) => !withoutWindow.includes(name)))
      expect({ table, rows: after[table] }).toEqual({ table, rows: tables[table] });
    expect(await dumpObjects(t.engine.store, [org.id])).toEqual(objects);
    expect(await restorableOfRun(t.engine, run.id)).toEqual([]);
    const audit = await t.engine.db.auditEntry.findFirstOrThrow({
      where: { action: "purge.restored" },
    });
    expect(audit.orgId).toBe(org.id);
    const evidence = await t.engine.db.windowBatch.findMany({
      where: { restoreId: restored.restoreId },
    });
    expect(evidence.reduce((sum, w) => sum + w.itemIds.length, 0)).toBe(10);
    // The forecast recomputes what came back.
    const dirty = await t.engine.db.forecastDirtyPair.findMany({ where: { orgId: org.id } });
    expect(new Set(dirty.map((p) => p.category))).toEqual(
      new Set(restorable.map((r) => r.category)),
    );
  });

  it("restores one item, or one org × category, and nothing else", async () => {
    const { org, artifact } = await oldWorld();
    const other = await oldWorld();
    const { run } = await purge(t.engine, { orgIds: [org.id, other.org.id], categories: null });
    const who = await admin();

    await restoreItems(t.engine, { runId: run.id, itemId: artifact.id }, who);
    expect(await t.engine.db.artifact.count({ where: { id: artifact.id } })).toBe(1);
    expect(await t.engine.db.artifact.count({ where: { id: other.artifact.id } })).toBe(0);
    // Its analysis that was only unlinked points at it again; the old one waits in its window.
    const analyses = await t.engine.db.imageAnalysis.findMany({ where: { orgId: org.id } });
    expect(analyses.map((a) => a.artifactId)).toEqual([artifact.id]);

    await restoreItems(t.engine, { runId: run.id, orgId: other.org.id, category: "BACKUPS" }, who);
    expect(await t.engine.db.backup.count({ where: { orgId: other.org.id } })).toBe(5);
    expect(await t.engine.db.backup.count({ where: { orgId: org.id } })).toBe(3);
    const left = await restorableOfRun(t.engine, run.id);
    expect(left.find((r) => r.orgId === org.id && r.category === "ARTIFACTS")).toBeUndefined();
    expect(left.find((r) => r.orgId === org.id && r.category === "BACKUPS")?.items).toBe(2);
    await expect(
      restoreItems(t.engine, { runId: run.id, itemId: artifact.id }, who),
    ).rejects.toThrow(/already restored on 2026-11-22/);
  });

  it("refuses an item a final deletion marked (its object may be going), whatever the clock says", async () => {
    const { org, artifact } = await oldWorld();
    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] });
    const kept = await t.engine.db.keptItem.findMany({ where: { runId: run.id } });
    await t.engine.db.finalDeletionMark.create({
      data: { runId: run.id, keptIds: kept.map((k) => k.id) },
    });

    await expect(
      restoreItems(t.engine, { runId: run.id, itemId: artifact.id }, await admin()),
    ).rejects.toThrow(
      /no longer restorable: restorable until 2026-11-29; its final deletion is under way/,
    );
    expect(await t.engine.db.artifact.count({ where: { id: artifact.id } })).toBe(0);
  });

  it("refuses a restore after the window with when it was restorable, changing nothing", async () => {
    const { org } = await oldWorld();
    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] });
    const before = await dumpTables(t.engine.db);
    clock = new Date(NOW.getTime() + 8 * DAY);
    try {
      const refused = restoreItems(t.engine, { runId: run.id }, await admin());
      await expect(refused).rejects.toBeInstanceOf(AppError);
      await expect(refused).rejects.toThrow(/restorable until 2026-11-29/);
      expect(await dumpTables(t.engine.db)).toEqual(before);
    } finally {
      clock = NOW;
    }
  });
});
