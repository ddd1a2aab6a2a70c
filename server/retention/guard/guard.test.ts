import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ago, builders } from "@/test/builders";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { startDaily as startDailyRun } from "@/test/daily-run";
import { renderMetrics } from "../evidence/metrics";
import { setOverride } from "../policy/overrides";
import { guardBasis } from "./pause";
import { approveTask, pausedTasks, rejectTask } from "./review";

const DAY = 86_400_000;
let clock = NOW;
let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({
    // One org a step: each org's tasks are written and guarded apart, and the sweeps pass by them all.
    settings: { guardFactor: 1.5, guardFloor: 5, planStepOrgs: 1 },
    now: () => clock,
  });
});
afterAll(() => t.close());

/** The daily run of day `k` after the test clock, started (test/daily-run.ts). */
async function startDaily(k: number) {
  clock = new Date(NOW.getTime() + k * DAY);
  return startDailyRun(t.engine);
}

const daily = async (k: number) => workToEnd(t.engine, await startDaily(k));

const tasksOf = (runId: string, orgId: number) =>
  t.engine.db.purgeTask.findMany({ where: { runId, orgId }, orderBy: { category: "asc" } });

// FREE: artifacts 30 days, drift checks 7. An item `30.5 - k` days old on the
// test clock falls due on day k.
describe("the guard", () => {
  const orgs: Record<"doubled" | "steady" | "fresh" | "shrunk" | "manual", number> = {
    doubled: 0,
    steady: 0,
    fresh: 0,
    shrunk: 0,
    manual: 0,
  };
  const checksOf = async (orgId: number) => t.engine.db.driftCheck.count({ where: { orgId } });

  it("pauses exactly the tasks a doubled volume puts above their baseline; a new org's first run is not paused", async () => {
    const b = builders(t.engine.db, t.engine.store);
    for (const name of ["doubled", "steady", "shrunk", "manual"] as const) {
      const org = await b.org("FREE", name);
      orgs[name] = org.id;
      const env = await b.env(org.id);
      await b.driftCheck(org.id, env.id, 0, 0);
      for (let k = 0; k < 4; k++) {
        const n = name === "doubled" && k === 3 ? 12 : 6;
        for (let i = 0; i < n; i++) {
          await b.artifact(org.id, 30.5 - k + i / 100, { bytes: 10 });
          await b.driftCheck(org.id, env.id, 7.5 - k + i / 100, 0);
        }
      }
    }
    // New: no daily run has had any of its items yet; the forecast knows it.
    const fresh = await b.org("FREE", "fresh");
    orgs.fresh = fresh.id;
    for (let i = 0; i < 8; i++) await b.artifact(fresh.id, 27.5 + i / 100, { bytes: 10 });
    await t.engine.db.organization.updateMany({ data: { createdAt: ago(60) } });

    for (const k of [0, 1, 2]) expect((await daily(k)).status).toBe("SUCCEEDED");
    const run = await daily(3);
    expect(run.status).toBe("PARTIAL");
    // What its page says the guard weighed it against; before any run or forecast, nothing.
    expect(await guardBasis(t.engine.db, run)).toEqual({ earlierRuns: 3, forecast: true });
    expect(await guardBasis(t.engine.db, { id: run.id, startedAt: new Date(0) })).toEqual({
      earlierRuns: 0,
      forecast: false,
    });

    const doubled = await tasksOf(run.id, orgs.doubled);
    expect(
      doubled.map((x) => [x.category, x.status, x.eligible, x.baseline, x.historyRuns]),
    ).toEqual([
      ["ARTIFACTS", "NEEDS_REVIEW", 12, 6, 3],
      ["DRIFT_CHECKS", "NEEDS_REVIEW", 12, 6, 3],
    ]);
    for (const name of ["steady", "fresh"] as const)
      for (const task of await tasksOf(run.id, orgs[name])) expect(task.status).toBe("SUCCEEDED");
    // The paused org's items are untouched and unsettled; the sweeps passed them by.
    expect(await t.engine.db.artifact.count({ where: { orgId: orgs.doubled } })).toBe(12);
    expect(await checksOf(orgs.doubled)).toBe(13);
    expect(await checksOf(orgs.steady)).toBe(1);
    expect(
      await t.engine.db.planItem.count({ where: { planId: run.planId, orgId: orgs.doubled } }),
    ).toBe(24);
    expect(
      await t.engine.db.planItemSetAside.count({
        where: { planId: run.planId, orgId: orgs.doubled },
      }),
    ).toBe(0);
    expect(await t.engine.db.artifact.count({ where: { orgId: orgs.fresh } })).toBe(0);

    const review = await pausedTasks(t.engine.db);
    expect(review.map((p) => p.why)).toEqual([
      "12 items against a baseline of 6 (the median of its last 3 daily runs)",
      "12 items against a baseline of 6 (the median of its last 3 daily runs)",
    ]);
    expect((await renderMetrics(t.engine.db)).body).toContain("retention_tasks_needing_review 2");
  });

  it("approve deletes a paused drift-check task's items through its own task; reject keeps the artifacts, counted as skipped", async () => {
    const admin = await builders(t.engine.db, t.engine.store).user("ADMIN");
    const [artifacts, checks] = await pausedTasks(t.engine.db);
    if (!artifacts || !checks) throw new Error("two paused tasks expected");

    // As if the process died between the approval's commit and its job: the next worker queues it.
    const queue = { ...t.engine.queue, enqueue: async () => {} };
    await approveTask({ ...t.engine, queue }, { taskId: checks.taskId, actor: admin });
    const reopened = await workToEnd(t.engine, checks.runId);
    expect(reopened.status).toBe("PARTIAL");
    expect(await checksOf(orgs.doubled)).toBe(1);
    const approved = await t.engine.db.purgeTask.findUniqueOrThrow({
      where: { id: checks.taskId },
    });
    expect([approved.status, approved.deleted, approved.reviewDecision]).toEqual([
      "SUCCEEDED",
      12,
      "APPROVED",
    ]);
    expect(await t.engine.db.manifestBatch.count({ where: { taskId: checks.taskId } })).toBe(1);

    await rejectTask(t.engine, { taskId: artifacts.taskId, actor: admin });
    const run = await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: artifacts.runId } });
    expect(run.status).toBe("SUCCEEDED");
    expect(await t.engine.db.artifact.count({ where: { orgId: orgs.doubled } })).toBe(12);
    const rejected = await t.engine.db.purgeTask.findUniqueOrThrow({
      where: { id: artifacts.taskId },
    });
    expect([rejected.status, rejected.deleted, rejected.skipped]).toEqual(["SUCCEEDED", 0, 12]);
    const reasons = await t.engine.db.planItemSetAside.findMany({
      where: { planId: run.planId, orgId: orgs.doubled, category: "ARTIFACTS" },
      select: { state: true, reason: true },
      distinct: ["reason"],
    });
    expect(reasons).toEqual([
      {
        state: "SKIPPED",
        reason:
          "kept: an admin rejected its review (12 items against a baseline of 6 (the median of its last 3 daily runs))",
      },
    ]);
    const audit = await t.engine.db.auditEntry.findMany({
      where: { action: { startsWith: "purge.review." } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.action, a.orgId, a.actorId])).toEqual([
      ["purge.review.approved", orgs.doubled, admin.id],
      ["purge.review.rejected", orgs.doubled, admin.id],
    ]);
    await expect(rejectTask(t.engine, { taskId: artifacts.taskId, actor: admin })).rejects.toThrow(
      /reviewed already/,
    );
  });

  it("a shrunk override pauses the first daily run's affected task, not a manual purge's", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const admin = await b.user("ADMIN");
    // On day 4 at 30 days: 6 more each (26.5 days old); 10 aged 22 days fall due only at 20.
    for (const name of ["shrunk", "manual"] as const) {
      for (let i = 0; i < 6; i++) await b.artifact(orgs[name], 26.5 + i / 100, { bytes: 10 });
      for (let i = 0; i < 10; i++) await b.artifact(orgs[name], 22 + i / 100, { bytes: 10 });
      await setOverride(t.engine.db, t.engine.settings, {
        actor: admin,
        orgId: orgs[name],
        category: "ARTIFACTS",
        days: 20,
        reason: "contract",
      });
    }
    clock = new Date(NOW.getTime() + 4 * DAY);
    const manual = await purge(
      t.engine,
      { orgIds: [orgs.manual], categories: ["ARTIFACTS"] },
      admin,
    );
    expect([manual.run.status, manual.run.deleted]).toEqual(["SUCCEEDED", 16n]);

    const run = await daily(4);
    expect(run.status).toBe("PARTIAL");
    const [shrunk] = await tasksOf(run.id, orgs.shrunk);
    expect([shrunk?.status, shrunk?.reviewReason, shrunk?.windowWas, shrunk?.moreItems]).toEqual([
      "NEEDS_REVIEW",
      "SHRUNK_WINDOW",
      30,
      10,
    ]);
    expect(await t.engine.db.artifact.count({ where: { orgId: orgs.shrunk } })).toBe(16);
    // The manual purge already took what the shorter window adds: nothing more to review.
    const [afterManual] = await tasksOf(run.id, orgs.manual);
    expect(afterManual?.status ?? "no task").not.toBe("NEEDS_REVIEW");
    const [paused] = (await pausedTasks(t.engine.db)).filter((p) => p.orgId === orgs.shrunk);
    expect(paused?.why).toBe("was 30 days, now 20; 10 more items");
  });

  it("a drift-check task approved while its category's sweeps still work is deleted by its task, not ended by the last sweep", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const admin = await b.user("ADMIN");
    const env = await t.engine.db.environment.findFirstOrThrow({ where: { orgId: orgs.steady } });
    for (let i = 0; i < 12; i++) await b.driftCheck(orgs.steady, env.id, 2.5 + i / 100, 0);
    const runId = await startDaily(5);
    const [paused] = (await pausedTasks(t.engine.db)).filter(
      (p) => p.runId === runId && p.orgId === orgs.steady,
    );
    expect(paused?.category).toBe("DRIFT_CHECKS");
    await approveTask(t.engine, { taskId: paused?.taskId ?? 0, actor: admin });
    expect(await t.engine.db.purgeSweep.count({ where: { runId, status: "PENDING" } })).toBe(1);

    await workToEnd(t.engine, runId);
    expect(await checksOf(orgs.steady)).toBe(1);
    const task = await t.engine.db.purgeTask.findUniqueOrThrow({ where: { id: paused?.taskId } });
    expect([task.status, task.deleted]).toEqual(["SUCCEEDED", 12]);
  });
});
