import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { runAs } from "@/test/database";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged } from "@/test/purge";
import { placePin } from "../policy/pins";
import { previewPurge } from "../plan/preview";

let t: TestEngine;
let b: ReturnType<typeof builders>;
let admin: { id: number; name: string };
beforeAll(async () => {
  t = await createTestEngine();
  b = builders(t.engine.db, t.engine.store);
  admin = await b.user("ADMIN");
});
afterAll(() => t.close());

const manifestOf = (planId: string) =>
  t.engine.db.planItem.findMany({ where: { planId }, orderBy: { id: "asc" } });

describe("what a run passes by", () => {
  it("is kept apart from the plan's manifest, which the run leaves as it was planned", async () => {
    const org = await b.org("BASIC");
    const pinned = await b.artifact(org.id, 100);
    const free = await b.artifact(org.id, 100);
    const env = await b.env(org.id);
    const checks = [
      await b.driftCheck(org.id, env.id, 100),
      await b.driftCheck(org.id, env.id, 90),
      await b.driftCheck(org.id, env.id, 1),
    ];
    const planId = await previewPurge(t.engine, {
      scope: { orgIds: [org.id], categories: ["ARTIFACTS", "DRIFT_CHECKS"] },
      trigger: "OPERATOR",
      actor: admin,
    });
    const planned = await manifestOf(planId);
    expect(planned.map((p) => p.itemId).sort()).toEqual(
      [pinned.id, free.id, checks[0]!.id, checks[1]!.id].sort(),
    );
    const pin = await placePin(t.engine.db, {
      actor: admin,
      target: { scope: "ARTIFACT", artifactId: pinned.id },
      until: new Date(NOW.getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
      reason: "customer dispute #42",
      env: t.engine.settings.policy,
      now: NOW,
    });
    // A check the sweep will find already gone.
    await t.engine.db.driftCheck.delete({ where: { id: checks[0]!.id } });

    const { runId } = await confirmAcknowledged(t.engine, planId, admin);
    const run = await workToEnd(t.engine, runId);
    expect([run.deleted, run.skipped, run.failed]).toEqual([2n, 2n, 0n]);

    expect(await manifestOf(planId)).toEqual(planned);
    const byItem = new Map(planned.map((p) => [p.id, p.itemId]));
    const setAside = await t.engine.db.planItemSetAside.findMany({
      where: { planId },
      orderBy: { category: "asc" },
    });
    expect(
      setAside.map((s) => [byItem.get(s.planItemId), s.orgId, s.category, s.state, s.reason]),
    ).toEqual([
      [
        pinned.id,
        org.id,
        "ARTIFACTS",
        "SKIPPED",
        `kept now: pin #${pin.id} until ${pin.pinnedUntil.toISOString().slice(0, 10)}`,
      ],
      [checks[0]!.id, org.id, "DRIFT_CHECKS", "SKIPPED", "already gone"],
    ]);
  });

  it("cannot change the manifest: an UPDATE of plan_items is refused, to the app and to the owner", async () => {
    const org = await b.org("BASIC");
    await b.artifact(org.id, 100);
    const planId = await previewPurge(t.engine, {
      scope: { orgIds: [org.id], categories: ["ARTIFACTS"] },
      trigger: "OPERATOR",
      actor: admin,
    });
    const planned = await manifestOf(planId);
    expect(planned).toHaveLength(1);
    await expect(
      t.engine.db.$executeRaw`UPDATE plan_items SET bytes = 0 WHERE plan_id = ${planId}`,
    ).rejects.toThrow(/frozen manifest/);
    await expect(
      runAs(t.database.ownerUrl, `UPDATE plan_items SET org_id = 0 WHERE plan_id = '${planId}'`),
    ).rejects.toThrow(/frozen manifest/);
    expect(await manifestOf(planId)).toEqual(planned);
  });
});
