import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { drain } from "../run/worker";
import { sql } from "../sql";
import { cancelPreview, listOpenPreviews } from "./open-previews";
import { planningProgress } from "./planning-progress";
import { previewPurge, requestPreview, type PreviewRequest } from "./preview";
import { planNow, runSteps } from "./step-runner";

let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine({ settings: { planStepOrgs: 1 } });
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

/** Three FREE orgs (30-day artifacts) with artifacts 1 to 191 days old: 17 each past the window. */
async function fleet() {
  const orgs = [await b.org("FREE"), await b.org("FREE"), await b.org("FREE")];
  for (const org of orgs) for (let i = 0; i < 20; i++) await b.artifact(org.id, 1 + i * 10);
  return orgs;
}

/** What is left of a plan: its items, entries, steps, and its steps' jobs not yet ended. */
async function leftOf(planId: string) {
  const [left] = await t.engine.db.$queryRaw<
    { items: number; entries: number; steps: number; jobs: number }[]
  >(sql`
    SELECT (SELECT count(*)::int FROM plan_items WHERE plan_id = ${planId}) AS items,
           (SELECT count(*)::int FROM plan_entries WHERE plan_id = ${planId}) AS entries,
           (SELECT count(*)::int FROM plan_steps WHERE plan_id = ${planId}) AS steps,
           (SELECT count(*)::int FROM pgboss.job j WHERE j.name = 'lethe-plan-step'
              AND j.state::text IN ('created', 'retry', 'active')) AS jobs`);
  return left;
}

/** A plan as a user sees it: counts, hash, guardrails, entries (ids aside). */
async function planOf(planId: string) {
  const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
  const entries = await t.engine.db.planEntry.findMany({
    where: { planId },
    orderBy: [{ orgId: "asc" }, { category: "asc" }],
    omit: { id: true, planId: true },
  });
  const { itemCount, bytes, manifestHash, guardrails } = plan;
  return { itemCount, bytes, manifestHash, guardrails, entries };
}

describe("a preview planned in steps", () => {
  it("shows its progress while planned, and cancelled leaves no items, entries, steps or queued jobs", async () => {
    const person = await b.user("OPERATOR");
    const orgs = await fleet();
    const request = {
      scope: { orgIds: orgs.map((o) => o.id), categories: null },
      trigger: "OPERATOR",
      actor: person,
    } as const;
    const { planId, planning } = await requestPreview(t.engine, request);
    expect(planning).toBe(true);
    const queued = await planningProgress(t.engine.db, planId);
    expect(queued).toMatchObject({
      status: "PLANNING",
      stepsDone: 0,
      orgCount: 3,
      etaSeconds: null,
    });
    expect((await listOpenPreviews(t.engine.db, person, t.engine.now())).map((p) => p.id)).toEqual([
      planId,
    ]);

    // A worker writes the artifacts of the first two orgs.
    const steps = await t.engine.db.planStep.findMany({
      where: { planId, category: "ARTIFACTS" },
      orderBy: { id: "asc" },
    });
    await runSteps(
      t.engine,
      steps.slice(0, 2).map((s) => s.id),
      Date.now() + 30_000,
    );
    const midway = await planningProgress(t.engine.db, planId);
    expect(midway).toMatchObject({ status: "PLANNING", stepsDone: 2, items: 34n });
    expect(midway?.etaSeconds).not.toBeNull();
    expect((await leftOf(planId))?.items).toBe(34);

    await cancelPreview(t.engine, { actor: person, planId });
    expect(await leftOf(planId)).toEqual({ items: 0, entries: 0, steps: 0, jobs: 0 });
    // No worker plans it further.
    await drain(t.engine, Date.now() + 5_000);
    expect(await leftOf(planId)).toEqual({ items: 0, entries: 0, steps: 0, jobs: 0 });
    const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
    expect(plan.status).toBe("DISCARDED");
    const audited = await t.engine.db.auditEntry.findFirstOrThrow({
      where: { action: "purge.discarded", target: `plan:${planId}` },
    });
    expect(audited.details).toMatchObject({ planning: true });
    expect(await listOpenPreviews(t.engine.db, person, t.engine.now())).toEqual([]);
  });

  it("is the plan of the windows when it started: an override and a plan changed mid-planning do not change it", async () => {
    const orgs = await fleet();
    const [first, second] = orgs;
    const request: PreviewRequest = {
      scope: { orgIds: orgs.map((o) => o.id), categories: ["ARTIFACTS"] },
      trigger: "OPERATOR",
      actor: "system",
    };
    const want = await planOf(await previewPurge(t.engine, request));

    const { planId } = await requestPreview(t.engine, request);
    const admin = await b.user("ADMIN");
    await t.engine.db.retentionOverride.create({
      data: {
        orgId: first?.id ?? 0,
        category: "ARTIFACTS",
        days: 120,
        reason: "mid-planning",
        setById: admin.id,
      },
    });
    await t.engine.db.organization.update({ where: { id: second?.id }, data: { plan: "BASIC" } });
    await planNow(t.engine, planId);
    expect(await planOf(planId)).toEqual(want);

    // A preview asked now plans the new windows: the change was one the plan would have seen.
    const now = await planOf(await previewPurge(t.engine, request));
    expect(now.itemCount).toBeLessThan(want.itemCount);
  });
});
