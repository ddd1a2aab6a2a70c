import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged } from "@/test/purge";
import { previewPurge } from "../../plan/preview";

let t: TestEngine;
let b: ReturnType<typeof builders>;
let admin: { id: number };
beforeAll(async () => {
  t = await createTestEngine({ settings: { sweepItems: 7, batchSize: 5 } });
  b = builders(t.engine.db, t.engine.store);
  admin = await b.user("ADMIN");
});
afterAll(() => t.close());

/** A dry run of one org's drift checks, by an admin. */
const dryRun = (orgId: number) =>
  previewPurge(t.engine, {
    scope: { orgIds: [orgId], categories: ["DRIFT_CHECKS"] },
    trigger: "OPERATOR",
    actor: admin,
  });

const left = (ids: number[]) => t.engine.db.driftCheck.count({ where: { id: { in: ids } } });

/** An org with one environment (prod) and a check of each age (days), oldest first. */
async function checksAged(...ages: number[]) {
  const org = await b.org("FREE");
  const env = await b.env(org.id);
  const checks = [];
  for (const age of ages) checks.push(await b.driftCheck(org.id, env.id, age));
  return { org, env, checks };
}

/**
 * A batch re-checks that a drift check is not its environment's latest by
 * the latest check its dry run saw; these are the ways that one can be gone.
 */
describe("a purge keeps every environment's latest check, whatever happened since the dry run", () => {
  it("keeps the check that became the latest when the dry run's latest was deleted since", async () => {
    const { org, checks } = await checksAged(30, 20, 10);
    const [older, nowLatest, keptByDryRun] = checks;
    const planId = await dryRun(org.id);
    // The SaaS deletes its newest check after the dry run.
    await t.engine.db.driftCheck.delete({ where: { id: keptByDryRun!.id } });

    const { runId } = await confirmAcknowledged(t.engine, planId, admin);
    const run = await workToEnd(t.engine, runId);
    expect([run.deleted, run.skipped]).toEqual([1n, 1n]);
    expect(await left([older!.id])).toBe(0);
    expect(await left([nowLatest!.id])).toBe(1);
    const skipped = await t.engine.db.planItemSetAside.findFirstOrThrow({
      where: { planId, state: "SKIPPED" },
    });
    expect(skipped.reason).toBe("kept now: latest check of environment prod");
    const item = await t.engine.db.planItem.findUniqueOrThrow({
      where: { id: skipped.planItemId },
    });
    expect(item.itemId).toBe(nowLatest!.id);
  });

  it("purges the checks whose dry run's latest another plan purged, when a newer check arrived before it", async () => {
    const { org, env, checks } = await checksAged(30, 20, 10);
    const planId = await dryRun(org.id);
    // A newer check arrives; a purge of chosen items then takes the one the first dry run saw last.
    const newest = await b.driftCheck(org.id, env.id, 1);
    const chosenPlan = await previewPurge(t.engine, {
      scope: {
        orgIds: [org.id],
        categories: ["DRIFT_CHECKS"],
        only: { category: "DRIFT_CHECKS", ids: [checks[2]!.id] },
      },
      trigger: "OPERATOR",
      actor: admin,
    });
    const chosen = await confirmAcknowledged(t.engine, chosenPlan, admin);
    expect((await workToEnd(t.engine, chosen.runId)).deleted).toBe(1n);

    const { runId } = await confirmAcknowledged(t.engine, planId, admin);
    const run = await workToEnd(t.engine, runId);
    expect([run.deleted, run.skipped]).toEqual([2n, 0n]);
    expect(await left(checks.map((c) => c.id))).toBe(0);
    expect(await left([newest.id])).toBe(1);
  });
});
