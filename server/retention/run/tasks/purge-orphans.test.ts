import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged } from "@/test/purge";
import { previewPurge } from "../../plan/preview";

let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine({ backdatingStore: "orphan-runs" });
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

/** A dry run of one org's orphan objects: the plan lists them. */
const dryRun = (orgId: number) =>
  previewPurge(t.engine, {
    scope: { orgIds: [orgId], categories: ["ORPHAN_OBJECTS"] },
    trigger: "OPERATOR",
    actor: "system",
  });

const confirmed = async (planId: string) => (await confirmAcknowledged(t.engine, planId)).runId;

/** What the runs' evidence says they deleted, and why they passed the rest by. */
async function evidenceOf(runIds: string[]) {
  const runs = await t.engine.db.purgeRun.findMany({ where: { id: { in: runIds } } });
  const batches = await t.engine.db.manifestBatch.findMany({ where: { runId: { in: runIds } } });
  const skips = await t.engine.db.planItemSetAside.findMany({
    where: { planId: { in: runs.map((r) => r.planId) }, state: "SKIPPED" },
  });
  return {
    deleted: runs.map((r) => Number(r.deleted)),
    skipped: runs.map((r) => Number(r.skipped)),
    listed: batches.flatMap((m) => m.itemIds).sort(),
    reasons: new Set(skips.map((s) => s.reason)),
  };
}

async function stored(keys: string[]) {
  const found = await Promise.all(keys.map((k) => t.engine.store.head(k)));
  return keys.filter((_, i) => found[i]);
}

describe("orphan objects another run deleted first", () => {
  it("are passed by as already gone, never deleted or counted a second time", async () => {
    const org = await b.org("FREE");
    const old = [];
    for (let i = 0; i < 6; i++) old.push(await b.orphan(org.id, 10));
    const young = await b.orphan(org.id, 1);
    // The daily run's plan lists the objects; an operator's run planned later deletes them first.
    const dailyPlan = await dryRun(org.id);
    const manual = await confirmed(await dryRun(org.id));
    await workToEnd(t.engine, manual);
    const daily = await confirmed(dailyPlan);
    await workToEnd(t.engine, daily);

    const first = await evidenceOf([manual]);
    expect(first.deleted).toEqual([6]);
    expect(first.listed).toEqual([...old].sort());
    const second = await evidenceOf([daily]);
    expect(second.deleted).toEqual([0]);
    expect(second.skipped).toEqual([6]);
    expect(second.listed).toEqual([]);
    expect(second.reasons).toEqual(new Set(["already gone"]));
    expect(await stored([...old, young])).toEqual([young]);
  });

  it("are deleted once between two runs worked side by side, batch against batch", async () => {
    const org = await b.org("FREE");
    const old = [];
    for (let i = 0; i < 30; i++) old.push(await b.orphan(org.id, 10));
    const first = await confirmed(await dryRun(org.id));
    const second = await confirmed(await dryRun(org.id));
    const other = await createTestEngine({
      database: t.database,
      store: t.engine.store,
      settings: { batchSize: 4 },
    });
    try {
      await Promise.all([workToEnd(t.engine, first), workToEnd(other.engine, second)]);
    } finally {
      await other.close();
    }

    const got = await evidenceOf([first, second]);
    expect(got.deleted.reduce((n, d) => n + d, 0)).toBe(30);
    expect(got.skipped.reduce((n, s) => n + s, 0)).toBe(30);
    expect(got.listed).toEqual([...old].sort());
    expect(got.reasons).toEqual(new Set(["already gone"]));
    expect(await stored(old)).toEqual([]);
  });
});
