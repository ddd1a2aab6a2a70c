import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ago, builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { previewPurge, requestPreview, type PreviewRequest } from "./preview";
import { drain } from "../run/worker";
import { planNow, runSteps } from "./step-runner";
import { confirmAcknowledged } from "@/test/purge";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({ settings: { planStepItems: 600, planStepOrgs: 10 } });
});
afterAll(() => t.close());

/** An operator's dry run of these orgs' artifacts. */
const artifactsOf = (orgs: { id: number }[]): PreviewRequest => ({
  scope: { orgIds: orgs.map((o) => o.id), categories: ["ARTIFACTS"] },
  trigger: "OPERATOR",
  actor: "system",
});

const sweptSteps = (planId: string) =>
  t.engine.db.planStep.findMany({
    where: { planId, kind: "SWEPT_ITEMS" },
    orderBy: { firstItem: "asc" },
  });

/** A plan's drift checks in manifest order, and its entries: what its run will work. */
async function manifestOf(planId: string) {
  const items = await t.engine.db.planItem.findMany({
    where: { planId },
    orderBy: { id: "asc" },
    select: { orgId: true, itemId: true },
  });
  const entries = await t.engine.db.planEntry.findMany({
    where: { planId },
    orderBy: [{ orgId: "asc" }, { category: "asc" }],
    select: { orgId: true, category: true, itemCount: true, bytes: true },
  });
  return { items, entries };
}

describe("a swept range that cannot fit a delivery", () => {
  it("is shrunk to the item ids that fit, the rest handed on, and the plan is the one planned in one go", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const orgs = [await b.org("FREE"), await b.org("FREE")];
    for (const org of orgs) {
      const env = await b.env(org.id);
      // FREE keeps drift checks 7 days: 500 of each org's 550 are due.
      await t.engine.db.driftCheck.createMany({
        data: Array.from({ length: 550 }, (_, i) => ({
          orgId: org.id,
          environmentId: env.id,
          status: "IN_SYNC" as const,
          checkedAt: ago(i < 500 ? 40 - i / 100 : 1 + i / 1000),
          summary: {},
        })),
      });
    }
    const request: PreviewRequest = {
      scope: { orgIds: orgs.map((o) => o.id), categories: ["DRIFT_CHECKS"] },
      trigger: "OPERATOR",
      actor: "system",
    };
    const want = await manifestOf(await previewPurge(t.engine, request));

    const { planId } = await requestPreview(t.engine, request);
    // 1,100 ids: the first range of the least size (a tenth), then 600 and the rest.
    const [first, second, last, ...more] = await sweptSteps(planId);
    expect(more).toEqual([]);
    const size = (s: typeof first) => Number((s?.lastItem ?? 0n) - (s?.firstItem ?? 0n) + 1n);
    expect([size(first), size(second)]).toEqual([60, 600]);
    const latest = await t.engine.db.planStep.findMany({
      where: { planId, kind: "LATEST_CHECKS" },
    });
    await runSteps(
      t.engine,
      latest.map((s) => s.id),
      Infinity,
    );
    for (const step of [first, second]) {
      await runSteps(t.engine, [step?.id ?? 0], Infinity);
      // As if each id had taken a millisecond: a delivery with 250 ms and 1.5 × 300 ms left fits 300 at most.
      await t.engine.db.planStep.update({ where: { id: step?.id }, data: { workMs: size(step) } });
    }
    const outcome = await runSteps(t.engine, [last?.id ?? 0], Date.now() + 250 + 450);
    expect(outcome.get(last?.id ?? 0)?.kind).toBe("done");

    const [, , shrunk, rest, ...none] = await sweptSteps(planId);
    expect(none).toEqual([]);
    expect(size(shrunk)).toBeGreaterThanOrEqual(100);
    expect(size(shrunk)).toBeLessThanOrEqual(300);
    expect(shrunk?.status).toBe("SUCCEEDED");
    expect([rest?.firstItem, rest?.lastItem, rest?.status]).toEqual([
      (shrunk?.lastItem ?? 0n) + 1n,
      last?.lastItem,
      "PENDING",
    ]);

    // A delivery with too little time for even the least range waits.
    expect(
      (await runSteps(t.engine, [rest?.id ?? 0], Date.now() + 300)).get(rest?.id ?? 0),
    ).toEqual({ kind: "paused" });
    await planNow(t.engine, planId);
    expect(await manifestOf(planId)).toEqual(want);
  });

  it("of orgs is split in two: the orgs that fit now, the rest a step of their own; the plan is the one planned in one go", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const orgs = [];
    for (let i = 0; i < 20; i++) {
      const org = await b.org("FREE");
      orgs.push(org);
      // FREE keeps artifacts 30 days: two of each org's three are due.
      for (const days of [45, 40, 2]) await b.artifact(org.id, days);
    }
    const request = artifactsOf(orgs);
    const want = await manifestOf(await previewPurge(t.engine, request));

    const { planId } = await requestPreview(t.engine, request);
    const items = () =>
      t.engine.db.planStep.findMany({ where: { planId, kind: "ITEMS" }, orderBy: { id: "asc" } });
    // 20 orgs: the first range of the least size (one org), then 10 and 9.
    const [first, second, third] = await items();
    expect([first?.orgCount, second?.orgCount, third?.orgCount]).toEqual([1, 10, 9]);
    for (const step of [first, second]) {
      await runSteps(t.engine, [step?.id ?? 0], Infinity);
      // As if each org had taken 100 ms: 700 ms left fit (700 - 250) / 1.5 / 100 = 3 orgs.
      const workMs = (step?.orgCount ?? 0) * 100;
      await t.engine.db.planStep.update({ where: { id: step?.id }, data: { workMs } });
    }
    const outcome = await runSteps(t.engine, [third?.id ?? 0], Date.now() + 700);
    expect(outcome.get(third?.id ?? 0)?.kind).toBe("done");
    const [, , shrunk, rest] = await items();
    expect(shrunk?.orgCount).toBeGreaterThanOrEqual(1);
    expect(shrunk?.orgCount).toBeLessThanOrEqual(3);
    expect(shrunk?.status).toBe("SUCCEEDED");
    expect([(shrunk?.orgCount ?? 0) + (rest?.orgCount ?? 0), rest?.lastOrg, rest?.status]).toEqual([
      9,
      third?.lastOrg,
      "PENDING",
    ]);

    await planNow(t.engine, planId);
    expect(await manifestOf(planId)).toEqual(want);
  });
});

describe("a planning step's job whose step is done or gone", () => {
  it("is let go, not queued again ahead of the run's tasks, however little time is left", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const orgs = [await b.org("FREE"), await b.org("FREE")];
    for (const org of orgs) for (let i = 0; i < 3; i++) await b.artifact(org.id, 40 + i);
    const { planId } = await requestPreview(t.engine, artifactsOf(orgs));
    await planNow(t.engine, planId);
    const done = await t.engine.db.planStep.findFirstOrThrow({
      where: { planId, kind: "ITEMS" },
      orderBy: { id: "desc" },
    });
    // As if it had taken a minute: it would not fit the second left.
    await t.engine.db.planStep.update({ where: { id: done.id }, data: { workMs: 60_000 } });
    // And a step whose plan was cleaned up since its job was queued.
    const gone = done.id + 1_000_000;

    const outcomes = await runSteps(t.engine, [done.id, gone], Date.now() + 1_000);
    expect([outcomes.get(done.id)?.kind, outcomes.get(gone)?.kind]).toEqual(["gone", "gone"]);

    // A worker's drain takes each such job once and lets it go (planNow, working the
    // steps here, left the jobs queued for them too).
    await t.engine.queue.enqueue("step", [gone]);
    const waiting = await t.engine.queue.waiting("step");
    expect(waiting).toBeGreaterThan(1);
    const report = await drain(t.engine, Date.now() + 3_000);
    expect(report.jobsWorked).toBe(waiting);
    expect(await t.engine.queue.waiting("step")).toBe(0);
  });
});

describe("a planning step that does not fit the time a drain has left", () => {
  it("waits for the next drain, which plans the steps that fit and works the run's tasks meanwhile", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const planned = [];
    for (let i = 0; i < 20; i++) {
      const org = await b.org("FREE");
      planned.push(org);
      await b.artifact(org.id, 40);
    }
    const { planId } = await requestPreview(t.engine, artifactsOf(planned));
    const [first, second, third] = await t.engine.db.planStep.findMany({
      where: { planId, kind: "ITEMS" },
      orderBy: { id: "asc" },
    });
    await runSteps(t.engine, [first?.id ?? 0], Infinity);
    // As if its one org had taken a minute: the next ten would not fit a delivery.
    await t.engine.db.planStep.update({ where: { id: first?.id }, data: { workMs: 60_000 } });

    // Another org's run, confirmed and opened: its task waits on the queue.
    const purged = await b.org("FREE");
    for (const days of [40, 41, 42]) await b.artifact(purged.id, days);
    const { runId } = await confirmAcknowledged(
      t.engine,
      await previewPurge(t.engine, artifactsOf([purged])),
    );

    // And a small plan whose steps fit, queued behind those that do not.
    const small = [await b.org("FREE"), await b.org("FREE")];
    for (const org of small) await b.artifact(org.id, 40);
    const fits = await requestPreview(t.engine, artifactsOf(small));

    const report = await drain(t.engine, Date.now() + 3_000);
    // Each of the plan's two steps left (ten orgs and nine) paused once, not taken again and again.
    expect(report.paused).toBe(2);
    expect(
      (await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: fits.planId } })).status,
    ).toBe("PREVIEWED");
    expect(await t.engine.db.artifact.count({ where: { orgId: purged.id } })).toBe(0);
    expect((await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe(
      "SUCCEEDED",
    );
    const waiting = await t.engine.db.planStep.findMany({
      where: { planId, kind: "ITEMS", status: "PENDING" },
    });
    expect(waiting.map((s) => s.id)).toEqual([second?.id, third?.id]);
    const ids = waiting.map((s) => s.id);
    expect(await t.engine.queue.withoutJob("step", ids, ["created"])).toEqual([]);
  });
});
