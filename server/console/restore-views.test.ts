import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { finallyDeleteDue } from "../retention/restore/final-deletion";
import { restoreItems } from "../retention/restore/restore";
import { incidentDetail } from "./incidents";
import { orgHistory } from "./org-history";
import { runWindow } from "./run-window";
import { awaitingFinalDeletion } from "./storage-report";

const DAY_MS = 86_400_000;

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({ restoreWindows: "product" });
});
afterAll(() => t.close());

/** An org with old artifacts and a long-closed incident, purged into their 7-day windows. */
async function purgedIntoWindow() {
  const b = builders(t.engine.db, t.engine.store);
  const org = await b.org("BASIC");
  const env = await b.env(org.id);
  const artifacts = [await b.artifact(org.id, 400, { bytes: 300 }), await b.artifact(org.id, 400)];
  const incident = await b.incident(org.id, env.id, "CLOSED", 400);
  const { run } = await purge(t.engine, {
    orgIds: [org.id],
    categories: ["ARTIFACTS", "INCIDENT_PAYLOADS"],
  });
  return { org, artifacts, incident, run };
}

describe("the restore window in the console's read models", () => {
  it("the storage page counts purged items in their window apart, until their final deletion", async () => {
    const before = await awaitingFinalDeletion(t.engine.db);
    const { artifacts } = await purgedIntoWindow();
    const after = await awaitingFinalDeletion(t.engine.db);
    // 300 + 100 bytes of artifacts, the payload's 50: still in the bucket and in kept rows.
    expect(after.items - before.items).toBe(3);
    expect(after.bytes - before.bytes).toBe(450n);
    const artifactsAwaiting = after.byCategory.find((c) => c.category === "ARTIFACTS");
    const until = artifactsAwaiting?.nextFinalDeletion?.getTime() ?? 0;
    expect(Math.abs(until - (t.engine.now().getTime() + 7 * DAY_MS))).toBeLessThan(60_000);
    for (const a of artifacts) expect(await t.engine.store.head(a.objectKey)).not.toBeNull();
  });

  it("an incident's purged payload says until when it is restorable, and from which run", async () => {
    const { incident, run } = await purgedIntoWindow();
    const detail = await incidentDetail(
      t.engine.db,
      t.engine.settings.policy,
      incident.id,
      t.engine.now(),
    );
    expect(detail.payloadPurgedAt).not.toBeNull();
    expect(detail.restorable?.runId).toBe(run.id);
    const until = detail.restorable?.until.getTime() ?? 0;
    expect(Math.abs(until - (t.engine.now().getTime() + 7 * DAY_MS))).toBeLessThan(60_000);
    // Past its window, the banner is the purged one of before: nothing says restorable.
    const later = await incidentDetail(
      t.engine.db,
      t.engine.settings.policy,
      incident.id,
      new Date(t.engine.now().getTime() + 8 * DAY_MS),
    );
    expect(later.payloadPurgedAt).not.toBeNull();
    expect(later.restorable).toBeNull();
  });

  it("after the final deletion the run's window says finally deleted, the incident's banner is the purged one, storage no longer counts it", async () => {
    const { org, incident, run } = await purgedIntoWindow();
    // The org's history: the artifacts' bytes wait for their window's end, then are freed.
    const artifactsInHistory = async () => {
      const { entries } = await orgHistory(t.engine.db, {
        orgId: org.id,
        kinds: ["runs"],
        now: NOW,
        limit: 10,
      });
      const [ran] = entries;
      return ran?.kind === "run"
        ? ran.categories.find((c) => c.category === "ARTIFACTS")
        : undefined;
    };
    expect(await artifactsInHistory()).toMatchObject({
      deleted: 2,
      bytesFreed: 0n,
      window: { waiting: 2, waitingBytes: 400n, restored: 0, freedAfter: 0n },
    });
    const firstPage = { offset: 0, limit: 50 };
    const during = await runWindow(t.engine, run.id, firstPage);
    expect(during.restorable.items).toBe(3);
    const later = { ...t.engine, now: () => new Date(t.engine.now().getTime() + 8 * DAY_MS) };
    // Past the window, before the final deletion: no longer restorable, still awaiting it.
    const passed = await runWindow(later, run.id, firstPage);
    expect(passed.rows.map((r) => [r.category, r.restorable, r.awaiting?.items])).toEqual([
      ["ARTIFACTS", null, 2],
      ["INCIDENT_PAYLOADS", null, 1],
    ]);
    const final = await finallyDeleteDue(later, run.id, Date.now() + 60_000);
    expect(final.done).toBe(true);

    const after = await runWindow(later, run.id, firstPage);
    expect(after.restorable).toEqual({ items: 0, bytes: 0n });
    expect(
      after.rows.map((r) => [r.category, r.restorable, r.awaiting, r.finallyDeleted?.items]),
    ).toEqual([
      ["ARTIFACTS", null, null, 2],
      ["INCIDENT_PAYLOADS", null, null, 1],
    ]);
    const detail = await incidentDetail(later.db, later.settings.policy, incident.id, later.now());
    expect([detail.payloadPurgedAt !== null, detail.restorable]).toEqual([true, null]);
    expect(await awaitingFinalDeletion(later.db)).toEqual({ items: 0, bytes: 0n, byCategory: [] });
    expect((await artifactsInHistory())?.window).toEqual({
      waiting: 0,
      waitingBytes: 0n,
      restored: 0,
      freedAfter: 400n,
    });
  });

  it("an org's history shows a restore of a whole run with what came back of that org, by whom", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const admin = await b.user("ADMIN");
    const [one, two] = [await b.org("BASIC"), await b.org("BASIC")];
    await b.artifact(one.id, 400, { bytes: 300 });
    await b.artifact(two.id, 400, { bytes: 200 });
    await b.artifact(two.id, 400, { bytes: 100 });
    const { run } = await purge(t.engine, { orgIds: [one.id, two.id], categories: ["ARTIFACTS"] });
    const restored = await restoreItems(t.engine, { runId: run.id }, admin);

    const history = async (orgId: number) =>
      (await orgHistory(t.engine.db, { orgId, kinds: ["restores"], now: NOW, limit: 10 })).entries;
    const [entry, ...rest] = await history(two.id);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      kind: "restore",
      restoreId: restored.restoreId,
      runId: run.id,
      actor: admin.name,
      categories: [{ category: "ARTIFACTS", items: 2, bytes: 300n }],
    });
    expect((await history(one.id)).map((e) => e.kind === "restore" && e.categories)).toEqual([
      [{ category: "ARTIFACTS", items: 1, bytes: 300n }],
    ]);
    // The whole history has it too, beside the run that purged it.
    const all = await orgHistory(t.engine.db, { orgId: one.id, now: NOW, limit: 10 });
    expect(all.entries.map((e) => e.kind)).toEqual(["restore", "run"]);
    const ran = all.entries[1];
    expect(ran?.kind === "run" && ran.categories[0]?.window).toEqual({
      waiting: 0,
      waitingBytes: 0n,
      restored: 1,
      freedAfter: 0n,
    });
  });
});
