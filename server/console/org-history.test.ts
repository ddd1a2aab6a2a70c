import { setTimeout as pause } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejectErasure, requestErasure } from "@/server/retention/erasure/requests";
import { placeHold, releaseHold } from "@/server/retention/policy/holds";
import { clearOverride, setOverride } from "@/server/retention/policy/overrides";
import { previewPurge } from "@/server/retention/plan/preview";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { orgHistory } from "./org-history";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(() => t.close());

/** Each step at a later millisecond than the one before, so the expected order is the order of the steps. */
const step = () => pause(3);

/** Every entry of an org's history, reading pages of `pageSize` until the last. */
async function allPages(orgId: number, pageSize: number) {
  const keys: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await orgHistory(t.engine.db, {
      orgId,
      after,
      now: NOW,
      limit: pageSize,
    });
    expect(page.entries.length).toBeLessThanOrEqual(pageSize);
    keys.push(...page.entries.map((e) => e.key));
    if (!page.next) return keys;
    after = page.next;
  }
  throw new Error("the history never ended");
}

describe("an org's retention history", () => {
  it("shows the org's run with its own counts and bytes per category, its preview, holds, overrides and erasure, newest first; not another org's", async () => {
    const { db } = t.engine;
    const b = builders(db, t.engine.store);
    const admin = await b.user("ADMIN");
    const other = await b.user("ADMIN");
    const [a, z] = [await b.org("FREE"), await b.org("FREE")];
    for (const org of [a, z]) {
      await b.artifact(org.id, 40, { bytes: 1500 });
      await b.artifact(org.id, 45, { bytes: 2500 });
      for (let i = 0; i < 3; i++) await b.error(org.id, 40);
    }
    await b.artifact(z.id, 50, { bytes: 9000 });
    // One run over both orgs: each org's history shows what it did to that org.
    const { run } = await purge(
      t.engine,
      { orgIds: null, categories: ["ARTIFACTS", "ERRORS"] },
      admin,
    );
    await step();
    await b.error(a.id, 40);
    const planId = await previewPurge(t.engine, {
      scope: { orgIds: [a.id], categories: ["ERRORS"] },
      trigger: "OPERATOR",
      actor: admin,
    });
    await step();
    const hold = await placeHold(db, {
      actor: admin,
      target: { scope: "ORG", orgId: a.id },
      reason: "litigation",
    });
    await step();
    await releaseHold(db, { actor: other, holdId: hold.id, reason: "the matter is closed" });
    await step();
    const override = {
      actor: admin,
      orgId: a.id,
      category: "ARTIFACTS" as const,
      reason: "contract",
    };
    await setOverride(db, t.engine.settings, { ...override, days: 40 });
    await step();
    await setOverride(db, t.engine.settings, { ...override, days: 60 });
    await step();
    await clearOverride(db, override);
    await step();
    const erasure = await requestErasure(db, {
      actor: admin,
      orgId: a.id,
      scope: { kind: "ORGANIZATION" },
      reason: "DSR-1",
    });
    await step();
    await rejectErasure(db, { actor: other, requestId: erasure.id });
    // Org B's own governance, none of which is A's history.
    const bHold = await placeHold(db, {
      actor: admin,
      target: { scope: "ORG", orgId: z.id },
      reason: "other",
    });
    await setOverride(db, t.engine.settings, { ...override, orgId: z.id, days: 40 });
    await requestErasure(db, {
      actor: admin,
      orgId: z.id,
      scope: { kind: "ORGANIZATION" },
      reason: "DSR-2",
    });

    const { entries, next, org } = await orgHistory(db, { orgId: a.id, now: NOW, limit: 50 });
    expect(org).toEqual({ id: a.id, name: a.name, plan: "FREE" });
    expect(next).toBeNull();
    expect(entries.map((e) => `${e.kind}${"event" in e ? ` ${e.event}` : ""}`)).toEqual([
      "erasure rejected",
      "erasure requested",
      "override removed",
      "override changed",
      "override set",
      "hold released",
      "hold placed",
      "preview",
      "run",
    ]);
    const [rejected, requested, removed, changed, set, released, placed, preview, ran] = entries;
    expect(ran).toMatchObject({
      kind: "run",
      runId: run.id,
      status: "SUCCEEDED",
      actor: "ADMIN tester",
    });
    // Errors weigh what their rows do: as the preview measured them for A.
    const errorsOfA = await db.planEntry.findUniqueOrThrow({
      where: { planId_orgId_category: { planId: run.planId, orgId: a.id, category: "ERRORS" } },
    });
    expect(ran?.kind === "run" && ran.categories).toEqual([
      {
        category: "ARTIFACTS",
        archived: false,
        deleted: 2,
        skipped: 0,
        failed: 0,
        bytesFreed: 4000n,
        window: null,
      },
      {
        category: "ERRORS",
        archived: false,
        deleted: 3,
        skipped: 0,
        failed: 0,
        bytesFreed: errorsOfA.bytes,
        window: null,
      },
    ]);
    expect(preview).toMatchObject({
      id: planId,
      outcome: "open",
      orgCount: 1,
      items: 1n,
      categories: 1,
    });
    expect(placed).toMatchObject({ id: hold.id, scope: "ORG", reason: "litigation" });
    expect(released).toMatchObject({ id: hold.id });
    expect(set).toMatchObject({ category: "ARTIFACTS", from: "plan", to: 40 });
    expect(changed).toMatchObject({ from: 40, to: 60 });
    expect(removed).toMatchObject({ from: 60, to: "plan" });
    expect(requested).toMatchObject({
      requestId: erasure.id,
      status: "REJECTED",
      scope: { kind: "ORGANIZATION" },
    });
    expect(rejected).toMatchObject({ requestId: erasure.id });
    expect(entries.every((e) => e.actor === "ADMIN tester")).toBe(true);

    const bEntries = (await orgHistory(db, { orgId: z.id, now: NOW, limit: 50 })).entries;
    expect(bEntries.map((e) => e.kind)).toEqual(["erasure", "override", "hold", "run"]);
    expect(bEntries[2]).toMatchObject({ id: bHold.id });
    expect(bEntries[3]?.kind === "run" && bEntries[3].categories[0]).toMatchObject({
      deleted: 3,
      bytesFreed: 13_000n,
    });

    // Narrowed to a kind and a period.
    const holds = await orgHistory(db, { orgId: a.id, kinds: ["holds"], now: NOW, limit: 50 });
    expect(holds.entries.map((e) => e.kind)).toEqual(["hold", "hold"]);
    const since = await orgHistory(db, {
      orgId: a.id,
      from: set?.at,
      to: changed?.at,
      now: NOW,
      limit: 50,
    });
    expect(since.entries.map((e) => e.key)).toEqual([changed?.key, set?.key]);
  });

  it("pages through every entry once, entries of the same moment included", async () => {
    const { db } = t.engine;
    const b = builders(db, t.engine.store);
    const admin = await b.user("ADMIN");
    const org = await b.org("FREE");
    await b.error(org.id, 40);
    await purge(t.engine, { orgIds: [org.id], categories: ["ERRORS"] });
    // Seven holds placed at one moment and released at the next, when four
    // more are placed: entries that share their moment, of one kind and of two.
    const [placed, released] = [new Date(), new Date(Date.now() + 1000)];
    const holds = (n: number, placedAt: Date, from: number) =>
      Array.from({ length: n }, (_, i) => ({
        scope: "ARTIFACT" as const,
        orgId: org.id,
        artifactId: from + i,
        reason: "case",
        placedById: admin.id,
        placedAt,
      }));
    await db.legalHold.createMany({ data: holds(7, placed, 1000) });
    await db.legalHold.updateMany({
      where: { orgId: org.id },
      data: { releasedAt: released, releasedById: admin.id },
    });
    await db.legalHold.createMany({ data: holds(4, released, 2000) });
    await step();
    await b.error(org.id, 40);
    await purge(t.engine, { orgIds: [org.id], categories: ["ERRORS"] });

    const everything = (await orgHistory(db, { orgId: org.id, now: NOW, limit: 100 })).entries.map(
      (e) => e.key,
    );
    expect(everything).toHaveLength(20);
    for (const size of [1, 2, 3, 5]) expect(await allPages(org.id, size)).toEqual(everything);
  });

  it("an unknown org or a made-up page is refused, saying what to do", async () => {
    await expect(
      orgHistory(t.engine.db, { orgId: 999_999, now: NOW, limit: 10 }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("No organization 999999"),
    });
    const org = await builders(t.engine.db, t.engine.store).org("FREE");
    await expect(
      orgHistory(t.engine.db, {
        orgId: org.id,
        after: "'; DROP TABLE purge_runs; --",
        now: NOW,
        limit: 10,
      }),
    ).rejects.toMatchObject({ code: "BAD_INPUT" });
  });
});
