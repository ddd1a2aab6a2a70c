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

/** What is left of a plan: its items, entries, steps, latest checks found, and its steps' jobs not yet ended. */
async function leftOf(planId: string) {
  const [left] = await t.engine.db.$queryRaw<
    { items: number; entries: number; steps: number; latest: number; jobs: number }[]
  >(sql`
    SELECT (SELECT count(*)::int FROM plan_items WHERE plan_id = ${planId}) AS items,
           (SELECT count(*)::int FROM plan_entries WHERE plan_id = ${planId}) AS entries,
           (SELECT count(*)::int FROM plan_steps WHERE plan_id = ${planId}) AS steps,
           (SELECT count(*)::int FROM plan_latest_checks WHERE plan_id = ${planId}) AS latest,
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
    for (const org of orgs) {
      const env = await b.env(org.id);
      for (let i = 0; i < 6; i++) await b.driftCheck(org.id, env.id, 1 + i * 3);
    }
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
    // And the drift checks of the first range of their ids, once their latest checks are found.
    const latest = await t.engine.db.planStep.findMany({
      where: { planId, kind: "LATEST_CHECKS" },
      orderBy: { id: "asc" },
    });
    const [range] = await t.engine.db.planStep.findMany({
      where: { planId, kind: "SWEPT_ITEMS" },
      orderBy: { id: "asc" },
    });
    await runSteps(t.engine, [range?.id ?? 0], Date.now() + 30_000);
    expect((await leftOf(planId))?.items).toBe(34);
    await runSteps(t.engine, [...latest.map((s) => s.id), range?.id ?? 0], Date.now() + 30_000);
    expect((await leftOf(planId))?.latest).toBe(3);
    expect((await leftOf(planId))?.items).toBeGreaterThan(34);

    await cancelPreview(t.engine, { actor: person, planId });
    const nothing = { items: 0, entries: 0, steps: 0, latest: 0, jobs: 0 };
    expect(await leftOf(planId)).toEqual(nothing);
    // No worker plans it further.
    await drain(t.engine, Date.now() + 5_000);
    expect(await leftOf(planId)).toEqual(nothing);
    const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
    expect(plan.status).toBe("DISCARDED");
    const audited = await t.engine.db.auditEntry.findFirstOrThrow({
      where: { action: "purge.discarded", target: `plan:${planId}` },
    });
    expect(audited.details).toMatchObject({ planning: true });
    expect(await listOpenPreviews(t.engine.db, person, t.engine.now())).toEqual([]);
  });

  it("a step a worker held as its plan was cancelled removes what the cancellation had to pass by", async () => {
    const person = await b.user("OPERATOR");
    const orgs = await fleet();
    const { planId } = await requestPreview(t.engine, {
      scope: { orgIds: orgs.map((o) => o.id), categories: ["ARTIFACTS"] },
      trigger: "OPERATOR",
      actor: person,
    });
    const [step] = await t.engine.db.planStep.findMany({
      where: { planId },
      orderBy: { id: "asc" },
    });
    // A worker has the step's row locked (it took it just before the cancellation committed).
    await t.engine.db.$transaction(
      async (tx) => {
        await tx.$queryRaw(sql`SELECT id FROM plan_steps WHERE id = ${step?.id} FOR UPDATE`);
        await cancelPreview(t.engine, { actor: person, planId });
      },
      { timeout: 30_000 },
    );
    expect((await leftOf(planId))?.steps).toBe(1);
    // The step finds its plan cancelled, and goes with what is left.
    await runSteps(t.engine, [step?.id ?? 0], Date.now() + 30_000);
    expect(await leftOf(planId)).toMatchObject({ items: 0, entries: 0, steps: 0 });
    const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
    expect([plan.status, plan.manifestRemovedAt !== null]).toEqual(["DISCARDED", true]);
  });

  it("planned here and now, leaves no queued job for a worker to find done", async () => {
    const orgs = await fleet();
    const request = {
      scope: { orgIds: orgs.map((o) => o.id), categories: null },
      trigger: "OPERATOR",
      actor: "system",
    } as const;
    const { planId, planning } = await requestPreview(t.engine, request);
    expect(planning).toBe(true);
    expect((await leftOf(planId))?.jobs).toBeGreaterThan(0);
    await planNow(t.engine, planId);
    const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
    expect(plan.status).toBe("PREVIEWED");
    expect((await leftOf(planId))?.jobs).toBe(0);
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

describe("a swept category planned in ranges of item ids", () => {
  it("counts, weighs and samples each org's items, and what it stores, as a one-org preview does", async () => {
    const inRanges = await createTestEngine({
      database: t.database,
      settings: { planStepOrgs: 1, planStepItems: 8 },
    });
    try {
      const orgs = [await b.org("FREE"), await b.org("BASIC"), await b.org("FREE")];
      const envs = [];
      for (const org of orgs) envs.push(await b.env(org.id, "prod"), await b.env(org.id, "qa"));
      // Checks interleaved across orgs and environments, as the SaaS writes them: each range
      // of ids holds several orgs'. The third org's are all recent: none is due, all are stored.
      for (let day = 0; day < 10; day++)
        for (const env of envs)
          await b.driftCheck(
            env.orgId,
            env.id,
            env.orgId === orgs[2]?.id ? 1 : 2 + day * 4,
            day % 3,
          );
      const request = (orgIds: number[]): PreviewRequest => ({
        scope: { orgIds, categories: ["DRIFT_CHECKS"] },
        trigger: "OPERATOR",
        actor: "system",
      });

      const planId = await previewPurge(inRanges.engine, request(orgs.map((o) => o.id)));
      const ranges = await t.engine.db.planStep.count({ where: { planId, kind: "SWEPT_ITEMS" } });
      expect(ranges).toBeGreaterThan(3);
      const { entries } = await planOf(planId);
      const oneByOne = [];
      for (const org of orgs)
        oneByOne.push(...(await planOf(await previewPurge(t.engine, request([org.id])))).entries);
      expect(oneByOne.map((e) => e.orgId)).toEqual([orgs[0]?.id, orgs[1]?.id]);
      expect(entries).toEqual(oneByOne);
    } finally {
      await inRanges.close();
    }
  });

  it("finds each environment's latest check once, when its planning starts, and records it on the checks it plans", async () => {
    const inRanges = await createTestEngine({
      database: t.database,
      settings: { planStepOrgs: 1, planStepItems: 4 },
    });
    try {
      const orgs = [await b.org("FREE"), await b.org("FREE")];
      const envs = [];
      for (const org of orgs) envs.push(await b.env(org.id, "prod"), await b.env(org.id, "qa"));
      // Every check is past the 7 days: only each environment's latest is kept.
      for (let day = 0; day < 4; day++)
        for (const env of envs) await b.driftCheck(env.orgId, env.id, 40 - day * 5);
      const request = (orgIds: number[]): PreviewRequest => ({
        scope: { orgIds, categories: ["DRIFT_CHECKS"] },
        trigger: "OPERATOR",
        actor: "system",
      });
      const itemsOf = (planId: string) =>
        t.engine.db.planItem.findMany({
          where: { planId },
          select: { orgId: true, itemId: true, newerItemId: true },
          orderBy: { itemId: "asc" },
        });
      const oneByOne = [];
      for (const org of orgs)
        oneByOne.push(...(await itemsOf(await previewPurge(t.engine, request([org.id])))));
      oneByOne.sort((x, y) => (x.itemId ?? 0) - (y.itemId ?? 0));
      expect(oneByOne).toHaveLength(12);

      const { planId } = await requestPreview(inRanges.engine, request(orgs.map((o) => o.id)));
      const found = await t.engine.db.planStep.findMany({
        where: { planId, kind: "LATEST_CHECKS" },
        orderBy: { id: "asc" },
      });
      await runSteps(
        inRanges.engine,
        found.map((s) => s.id),
        Date.now() + 30_000,
      );
      // A check the SaaS writes now is past the plan's asOf: the latest check its
      // planning found stays kept, as in a plan written in one go when it started.
      for (const env of envs) await b.driftCheck(env.orgId, env.id, 0);
      await planNow(inRanges.engine, planId);

      expect(
        await t.engine.db.planStep.count({ where: { planId, kind: "SWEPT_ITEMS" } }),
      ).toBeGreaterThan(3);
      expect(await itemsOf(planId)).toEqual(oneByOne);
      expect((await leftOf(planId))?.latest).toBe(0);
    } finally {
      await inRanges.close();
    }
  });
});
