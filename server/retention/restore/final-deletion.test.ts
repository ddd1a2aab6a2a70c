import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orphanObjects } from "../categories/orphan-objects";
import { purgeStatus } from "../../console/overview";
import { reconciliation } from "../evidence/pack/reconciliation";
import { placeHold, releaseHold } from "../policy/holds";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { erasureWorld, refusingToDelete } from "@/test/erasure";
import { purge } from "@/test/purge";
import { runDailyPurge, scheduledDay } from "../run/daily";
import { finallyDeleteDue } from "./final-deletion";
import { restoreItems } from "./restore";

const DAY = 86_400_000;
const AFTER_WINDOW = new Date(NOW.getTime() + 8 * DAY);
let clock = NOW;
let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine({ restoreWindows: "product", now: () => clock });
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

const exists = async (key: string) => (await t.engine.store.head(key)) !== null;
const soon = () => Date.now() + 20_000;

/** Purges an org's old artifacts into their window, at NOW. */
async function keptArtifacts(count: number) {
  const org = await b.org("FREE");
  const artifacts = [];
  for (let i = 0; i < count; i++) artifacts.push(await b.artifact(org.id, 40, { bytes: 100 + i }));
  clock = NOW;
  const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] });
  return { org, artifacts, run };
}

describe("the final deletion", () => {
  it("waits for the window, then deletes the objects, then the kept rows, counting the bytes then", async () => {
    const { artifacts, run } = await keptArtifacts(2);
    const keys = artifacts.map((a) => a.objectKey);
    const orphan = await orphanObjects.stillUnreferenced(t.engine.db, keys);
    expect(orphan.size).toBe(0);
    // The day's run the final deletion is recorded against (here the same run).
    const tomorrow = run;

    const early = await finallyDeleteDue(t.engine, tomorrow.id, soon());
    expect(early.deleted).toBe(0);
    for (const key of keys) expect(await exists(key)).toBe(true);

    clock = AFTER_WINDOW;
    const done = await finallyDeleteDue(t.engine, tomorrow.id, soon());

    expect(done).toMatchObject({ deleted: 2, bytesFreed: 201n, failed: 0, done: true });
    for (const key of keys) expect(await exists(key)).toBe(false);
    expect(await t.engine.db.keptItem.count({ where: { runId: run.id } })).toBe(0);
    expect(await t.engine.db.finalDeletionMark.count()).toBe(0);
    const evidence = await t.engine.db.windowBatch.findMany({ where: { finalRunId: tomorrow.id } });
    expect(evidence.map((w) => [w.itemIds.length, w.bytes])).toEqual([[2, 201n]]);
    // The metrics' bytes freed count them now.
    const totals = await t.engine.db.purgeTotal.findUniqueOrThrow({
      where: { plan_category: { plan: "FREE", category: "ARTIFACTS" } },
    });
    expect(totals.bytesFreed).toBe(201n);
    // So do the run they are recorded against and the Overview's bytes freed of 30 days.
    const day = await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: tomorrow.id } });
    expect([day.bytesFreed, day.finallyFreed]).toEqual([0n, 201n]);
    const freed = (await purgeStatus(t.engine.db, clock)).freedLast30Days.bytes;
    expect(freed).toBeGreaterThanOrEqual(201n);
    const lines = [];
    const period = { fromDay: "2026-11-01", toDay: "2026-12-31", orgId: null };
    for await (const line of reconciliation(t.engine.db, period, [run.id])) lines.push(line);
    expect(lines.flatMap((l) => l.mismatches)).toEqual([]);
    await expect(restoreItems(t.engine, { runId: run.id }, "system")).rejects.toThrow(
      /no longer restorable: its restore window passed and it was finally deleted on \d{4}-\d\d-\d\d\./,
    );
    clock = NOW;
  });

  it("never takes a held item; released, it goes; a failed object delete leaves its kept row", async () => {
    const { org, artifacts, run } = await keptArtifacts(3);
    const [held, refused, free] = artifacts.map((a) => a.objectKey);
    const admin = await b.user("ADMIN");
    // Purged into its window, an artifact can still be put under hold.
    const hold = await placeHold(t.engine.db, {
      actor: admin,
      target: { scope: "ARTIFACT", artifactId: artifacts[0]!.id },
      reason: "litigation",
    });
    expect(hold.orgId).toBe(org.id);
    const refusing = { ...t.engine, store: refusingToDelete(new Set([refused ?? ""])) };
    clock = AFTER_WINDOW;

    const first = await finallyDeleteDue(refusing, run.id, soon());

    expect(first).toMatchObject({ deleted: 1, failed: 1, done: false });
    expect([
      await exists(held ?? ""),
      await exists(refused ?? ""),
      await exists(free ?? ""),
    ]).toEqual([true, true, false]);
    await releaseHold(t.engine.db, {
      actor: admin,
      holdId: hold.id,
      reason: "the matter is closed",
    });
    const second = await finallyDeleteDue(t.engine, run.id, soon());
    expect(second).toMatchObject({ deleted: 2, done: true });
    expect(await exists(held ?? "")).toBe(false);
    expect(await exists(refused ?? "")).toBe(false);
    clock = NOW;
  });

  it("an incident's hold, or its reopening, keeps its payload and approvals in their window past it", async () => {
    const org = await b.org("BASIC");
    const env = await b.env(org.id);
    const incident = await b.incident(org.id, env.id, "CLOSED", 200);
    await b.approval(org.id, incident.id, 200);
    clock = NOW;
    const { run } = await purge(t.engine, {
      orgIds: [org.id],
      categories: ["INCIDENT_PAYLOADS", "APPROVALS"],
    });
    const hold = await b.hold({ orgId: org.id, incidentId: incident.id });
    clock = AFTER_WINDOW;
    await finallyDeleteDue(t.engine, run.id, soon());
    const waiting = { runId: run.id };
    expect(await t.engine.db.keptItem.count({ where: waiting })).toBe(2);
    await releaseHold(t.engine.db, {
      actor: await b.user("ADMIN"),
      holdId: hold.id,
      reason: "the matter is closed",
    });
    // Reopened within the window: an open incident's are never purged.
    await t.engine.db.incident.update({
      where: { id: incident.id },
      data: { status: "ACKNOWLEDGED" },
    });
    await finallyDeleteDue(t.engine, run.id, soon());
    expect(await t.engine.db.keptItem.count({ where: waiting })).toBe(2);
    await t.engine.db.incident.update({ where: { id: incident.id }, data: { status: "CLOSED" } });
    await finallyDeleteDue(t.engine, run.id, soon());
    expect(await t.engine.db.keptItem.count({ where: waiting })).toBe(0);
    clock = NOW;
  });

  it("a hold placed while a batch deletes objects waits for that batch; a mark a crash left gives up what a hold placed since covers", async () => {
    const admin = await b.user("ADMIN");
    const racing = await keptArtifacts(2);
    clock = AFTER_WINDOW;
    let waited: string | null = null;
    let placing: Promise<unknown> | null = null;
    const store = Object.create(t.engine.store) as typeof t.engine.store;
    store.deleteMany = async (keys) => {
      placing = placeHold(t.engine.db, {
        actor: admin,
        target: { scope: "ORG", orgId: racing.org.id },
        reason: "litigation",
      });
      waited = await Promise.race([
        placing.then(() => "placed"),
        new Promise<string>((resolve) => setTimeout(() => resolve("waiting"), 500)),
      ]);
      return t.engine.store.deleteMany(keys);
    };
    expect(await finallyDeleteDue({ ...t.engine, store }, racing.run.id, soon())).toMatchObject({
      deleted: 2,
    });
    expect(waited).toBe("waiting");
    await placing;

    // A delivery cut off between its mark and its end; a hold placed before the next.
    const cut = await keptArtifacts(2);
    clock = AFTER_WINDOW;
    const cutOff = Object.create(t.engine.store) as typeof t.engine.store;
    cutOff.deleteMany = () => Promise.reject(new Error("the function was cut off"));
    await expect(
      finallyDeleteDue({ ...t.engine, store: cutOff }, cut.run.id, soon()),
    ).rejects.toThrow("cut off");
    expect(await t.engine.db.finalDeletionMark.count()).toBe(1);
    const hold = await placeHold(t.engine.db, {
      actor: admin,
      target: { scope: "ORG", orgId: cut.org.id },
      reason: "litigation",
    });
    await finallyDeleteDue(t.engine, cut.run.id, soon());
    for (const a of cut.artifacts) expect(await exists(a.objectKey)).toBe(true);
    expect(await t.engine.db.keptItem.count({ where: { runId: cut.run.id } })).toBe(2);
    expect(await t.engine.db.finalDeletionMark.count()).toBe(0);
    await releaseHold(t.engine.db, {
      actor: admin,
      holdId: hold.id,
      reason: "the matter is closed",
    });
    await finallyDeleteDue(t.engine, cut.run.id, soon());
    for (const a of cut.artifacts) expect(await exists(a.objectKey)).toBe(false);
    clock = NOW;
  });

  it("each daily delivery finally deletes what left its window, recorded against the day's run", async () => {
    let day = NOW;
    const d = await createTestEngine({ restoreWindows: "product", now: () => day });
    try {
      const org = await builders(d.engine.db, d.engine.store).org("FREE");
      const artifact = await builders(d.engine.db, d.engine.store).artifact(org.id, 40);
      const deliverUntil = async (done: () => Promise<boolean>) => {
        for (let n = 0; n < 100 && !(await done()); n++)
          await runDailyPurge(d.engine, Date.now() + 2_000);
      };
      const runOf = (at: Date) =>
        d.engine.db.purgeRun.findUnique({ where: { runKey: `daily:${scheduledDay(at)}` } });
      await deliverUntil(async () => (await runOf(day))?.status === "SUCCEEDED");
      const first = await runOf(day);
      expect(await d.engine.db.keptItem.count({ where: { runId: first?.id } })).toBe(1);
      expect(await d.engine.store.head(artifact.objectKey)).not.toBeNull();

      day = AFTER_WINDOW;
      await deliverUntil(async () => (await d.engine.db.keptItem.count()) === 0);
      const second = await runOf(day);
      expect(await d.engine.store.head(artifact.objectKey)).toBeNull();
      const evidence = await d.engine.db.windowBatch.findMany({
        where: { finalRunId: second?.id },
      });
      expect(evidence.map((w) => [w.itemIds, w.bytes])).toEqual([[[String(artifact.id)], 100n]]);
    } finally {
      await d.close();
    }
  });

  it("a GDPR erasure is final at once: nothing kept, objects gone; what its org had in a window goes with the next final deletion", async () => {
    const e = await erasureWorld(t);
    const { org, artifacts, run } = await keptArtifacts(1);
    const young = await b.artifact(org.id, 1);
    const request = await e.request(org.id);
    await e.erase(t.engine, request.id, 1n);
    expect(await exists(young.objectKey)).toBe(false);
    expect(await t.engine.db.keptItem.count({ where: { itemId: young.id } })).toBe(0);

    await expect(restoreItems(t.engine, { runId: run.id }, "system")).rejects.toThrow(
      /a GDPR erasure of its org or member covers it/,
    );
    await finallyDeleteDue(t.engine, run.id, soon());
    expect(await exists(artifacts[0]?.objectKey ?? "")).toBe(false);
  });
});
