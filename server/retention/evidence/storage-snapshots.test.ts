import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { snapshotTotals, takeSnapshot } from "./storage-snapshots";

let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine();
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

const DAY = 86_400_000;
const itemsOf = async (orgId: number, category: string) =>
  (await snapshotTotals(t.engine.db, [orgId])).find((r) => r.category === category)?.items;
const artifactsOf = (orgId: number) => itemsOf(orgId, "ARTIFACTS");
const artifactsChanged = (orgId: number) => ({
  orgIds: [orgId],
  categories: ["ARTIFACTS" as const],
});

describe("daily storage snapshots", () => {
  it("a day's first snapshot of some orgs carries the others forward, so the latest day is the whole fleet", async () => {
    const changed = await b.org("FREE");
    const untouched = await b.org("PRO");
    await b.artifact(changed.id, 1);
    await b.artifact(untouched.id, 1);
    await b.artifact(untouched.id, 2);
    await takeSnapshot(t.engine.db, NOW, null);
    expect(await artifactsOf(changed.id)).toBe(1n);

    await b.artifact(changed.id, 0);
    const nextDay = new Date(NOW.getTime() + DAY);
    await takeSnapshot(t.engine.db, nextDay, artifactsChanged(changed.id));
    expect(await artifactsOf(changed.id)).toBe(2n);
    expect(await artifactsOf(untouched.id)).toBe(2n);
    const days = await t.engine.db.storageSnapshot.groupBy({
      by: ["day"],
      where: { orgId: untouched.id },
      _count: true,
    });
    expect(days).toHaveLength(2);

    // A second partial snapshot that day replaces only its own orgs.
    await b.artifact(untouched.id, 0);
    await takeSnapshot(t.engine.db, nextDay, artifactsChanged(changed.id));
    expect(await artifactsOf(untouched.id)).toBe(2n);
  });

  it("a snapshot of what a run changed takes that category again and carries the org's others", async () => {
    const org = await b.org("PRO");
    await b.artifact(org.id, 1);
    const env = await b.env(org.id);
    await b.driftCheck(org.id, env.id, 3);
    const day = new Date(NOW.getTime() + 5 * DAY);
    await takeSnapshot(t.engine.db, day, null);
    expect(await itemsOf(org.id, "DRIFT_CHECKS")).toBe(1n);

    await b.artifact(org.id, 0);
    await b.driftCheck(org.id, env.id, 0);
    const later = new Date(day.getTime() + DAY);
    await takeSnapshot(t.engine.db, later, artifactsChanged(org.id));
    expect(await artifactsOf(org.id)).toBe(2n);
    // Drift checks were not in the change: carried from the day before, not counted again.
    expect(await itemsOf(org.id, "DRIFT_CHECKS")).toBe(1n);
  });
});
