import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appError } from "@/test/app-error";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged as confirmed } from "@/test/purge";
import { confirmPlan } from "./confirm";
import { placeHold } from "../policy/holds";
import { planView } from "../../console/plan-view";
import { previewPurge } from "./preview";
import { dueItemsOf } from "../forecast/due-items";

let t: TestEngine;
let b: ReturnType<typeof builders>;
let admin: { id: number };
beforeAll(async () => {
  // One admin previews many times here at one frozen clock: the cap on open
  // previews has its own tests (preview-cleanup.test.ts).
  t = await createTestEngine({ settings: { maxOpenPreviewsPerUser: 100, maxOpenPreviews: 100 } });
  b = builders(t.engine.db, t.engine.store);
  admin = await b.user("ADMIN");
});
afterAll(() => t.close());

const preview = (
  orgIds: number[],
  categories: Parameters<typeof previewPurge>[1]["scope"]["categories"],
) => previewPurge(t.engine, { scope: { orgIds, categories }, trigger: "OPERATOR", actor: admin });

const confirmAcknowledged = (planId: string) => confirmed(t.engine, planId, admin);

describe("dry run, then confirm exactly that", () => {
  it("previews counts, bytes, a sample with reasons and a stable manifest hash, and deletes nothing", async () => {
    const org = await b.org("FREE");
    const old = await b.artifact(org.id, 40, { bytes: 300 });
    await b.artifact(org.id, 50, { bytes: 200 });
    await b.artifact(org.id, 10, { bytes: 999 });
    const planId = await preview([org.id], ["ARTIFACTS"]);
    const view = await planView(t.engine.db, planId, { offset: 0, limit: 10 }, NOW);
    expect(view.itemCount).toBe(2n);
    expect(view.bytes).toBe(500n);
    expect(view.entries[0]?.sample.map((s) => s.itemId)).toContain(old.id);
    expect(view.entries[0]?.sample[0]?.reason).toMatch(
      /^eligible since \d{4}-\d{2}-\d{2}: FREE plan, artifacts 30 days$/,
    );
    expect(view.manifestHash).toMatch(/^[0-9a-f]{64}$/);
    // With no restore window configured, it says so before anyone confirms.
    expect(view.undo).toEqual({ restorable: 0n, longestDays: 0, final: 2n });
    expect(view.entries[0]?.restoreDays).toBe(0);
    expect(await t.engine.db.artifact.count({ where: { orgId: org.id } })).toBe(3);
    const again = await planView(
      t.engine.db,
      await preview([org.id], ["ARTIFACTS"]),
      { offset: 0, limit: 1 },
      NOW,
    );
    expect(again.manifestHash).toBe(view.manifestHash);
  });

  it("never deletes an item that was not in its preview, even when newer eligible data arrived in between", async () => {
    const org = await b.org("FREE");
    const env = await b.env(org.id);
    const inPreview = await b.artifact(org.id, 40);
    const latestAtPreview = await b.driftCheck(org.id, env.id, 20);
    const planId = await preview([org.id], ["ARTIFACTS", "DRIFT_CHECKS"]);

    const arrivedLate = await b.artifact(org.id, 60);
    await b.driftCheck(org.id, env.id, 1); // now the preview's latest check would be eligible too

    const { runId } = await confirmAcknowledged(planId);
    const run = await workToEnd(t.engine, runId);
    expect(run.status).toBe("SUCCEEDED");
    expect(await t.engine.db.artifact.findUnique({ where: { id: inPreview.id } })).toBeNull();
    expect(await t.engine.db.artifact.findUnique({ where: { id: arrivedLate.id } })).not.toBeNull();
    expect(
      await t.engine.db.driftCheck.findUnique({ where: { id: latestAtPreview.id } }),
    ).not.toBeNull();
  });

  it("refuses an expired preview with a message that says what to do, and deletes nothing", async () => {
    const org = await b.org("FREE");
    await b.artifact(org.id, 40);
    const planId = await preview([org.id], ["ARTIFACTS"]);
    const later = await createTestEngine({
      database: t.database,
      now: () => new Date(NOW.getTime() + 16 * 60_000),
    });
    try {
      const error = await appError(confirmPlan(later.engine, { planId, actor: admin }));
      expect(error.code).toBe("PLAN_EXPIRED");
      expect(error.message).toMatch(
        /expired at \d\d:\d\d UTC \(previews last 15 minutes\)\. Run a fresh dry run\./,
      );
    } finally {
      await later.close();
    }
    expect(await t.engine.db.artifact.count({ where: { orgId: org.id } })).toBe(1);
    expect((await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } })).status).toBe(
      "EXPIRED",
    );
  });

  it("skips and reports what changed since the preview: a new legal hold, a reopened incident", async () => {
    const org = await b.org("BASIC");
    const env = await b.env(org.id);
    const toHold = await b.artifact(org.id, 200);
    const free = await b.artifact(org.id, 200);
    const reopened = await b.incident(org.id, env.id, "CLOSED", 400);
    const planId = await preview([org.id], ["ARTIFACTS", "INCIDENT_PAYLOADS"]);

    await placeHold(t.engine.db, {
      actor: admin,
      target: { scope: "ARTIFACT", artifactId: toHold.id },
      reason: "litigation",
    });
    await t.engine.db.incident.update({
      where: { id: reopened.id },
      data: { status: "ACKNOWLEDGED", closedAt: null },
    });

    const { runId } = await confirmAcknowledged(planId);
    const run = await workToEnd(t.engine, runId);
    expect(Number(run.deleted)).toBe(1);
    expect(Number(run.skipped)).toBe(2);
    expect(await t.engine.db.artifact.findUnique({ where: { id: toHold.id } })).not.toBeNull();
    expect(await t.engine.db.artifact.findUnique({ where: { id: free.id } })).toBeNull();
    expect(
      await t.engine.db.incidentPayload.findUnique({ where: { incidentId: reopened.id } }),
    ).not.toBeNull();
    const reasons = await t.engine.db.planItemSetAside.findMany({
      where: { planId, state: "SKIPPED" },
      select: { reason: true },
    });
    expect(reasons.map((r) => r.reason).sort()).toEqual(
      [
        "kept now: legal hold #" +
          (await t.engine.db.legalHold.findFirstOrThrow({ where: { artifactId: toHold.id } })).id +
          " on this artifact",
        "kept now: open incident (acknowledged)",
      ].sort(),
    );
  });

  it("asks for a second confirmation above the configured share of an org's data", async () => {
    const org = await b.org("FREE", "Guarded Org");
    await b.artifact(org.id, 40);
    await b.artifact(org.id, 41);
    await b.artifact(org.id, 1);
    const planId = await preview([org.id], ["ARTIFACTS"]);
    const error = await appError(confirmPlan(t.engine, { planId, actor: admin }));
    expect(error.code).toBe("GUARDRAIL");
    expect(error.message).toMatch(
      /takes 67% of Guarded Org's artifacts\. Type "Guarded Org" to confirm \(by the API: send it as "acknowledgement"\)\./,
    );
    await appError(confirmPlan(t.engine, { planId, actor: admin, acknowledgement: "DELETE" }));
    expect(await t.engine.db.artifact.count({ where: { orgId: org.id } })).toBe(3);
    const { runId } = await confirmPlan(t.engine, {
      planId,
      actor: admin,
      acknowledgement: "Guarded Org",
    });
    expect((await workToEnd(t.engine, runId)).deleted).toBe(2n);
  });

  it("names the category in the refusal as the preview does", async () => {
    const org = await b.org("FREE", "Queue Org");
    await b.task(org.id, "COMPLETED", 10);
    await b.task(org.id, "FAILED", 9);
    await b.task(org.id, "COMPLETED", 1);
    const planId = await preview([org.id], ["TASK_QUEUE"]);
    const error = await appError(confirmPlan(t.engine, { planId, actor: admin }));
    expect(error.message).toMatch(/takes 67% of Queue Org's task queue entries\. Type "Queue Org"/);
  });

  it("lists the largest shares above the guardrail and counts the others, however many orgs breach it", async () => {
    const orgs = [];
    for (let k = 0; k < 8; k++) {
      const org = await b.org("FREE", `Share Org ${k}`);
      for (let i = 0; i < k + 2; i++) await b.artifact(org.id, 40);
      await b.artifact(org.id, 1);
      orgs.push(org);
    }
    const planId = await preview(
      orgs.map((o) => o.id),
      ["ARTIFACTS"],
    );
    const view = await planView(t.engine.db, planId, { offset: 0, limit: 1 }, NOW);
    expect(view.guardrails.reasons.map((r) => (r.kind === "share" ? r.orgName : r.kind))).toEqual([
      "Share Org 7",
      "Share Org 6",
      "Share Org 5",
      "Share Org 4",
      "Share Org 3",
    ]);
    expect(view.guardrails.moreShares).toBe(3);
    const error = await appError(confirmPlan(t.engine, { planId, actor: admin }));
    expect(error.message).toMatch(
      /takes 90% of Share Org 7's artifacts; .*; another 3 organization × category entries pass the same share\. Type "DELETE"/,
    );
  });

  it("flags a scope that covers every org and every category", async () => {
    const planId = await previewPurge(t.engine, {
      scope: { orgIds: null, categories: null },
      trigger: "OPERATOR",
      actor: admin,
    });
    const view = await planView(t.engine.db, planId, { offset: 0, limit: 1 }, NOW);
    expect(view.guardrails.reasons[0]).toEqual({ kind: "whole-fleet" });
    expect(view.guardrails.confirmPhrase).toBe("DELETE");
  });

  it("is idempotent: confirming twice starts one run, and purging again deletes and counts nothing more", async () => {
    const org = await b.org("PRO");
    await b.artifact(org.id, 400);
    await b.artifact(org.id, 10);
    const planId = await preview([org.id], ["ARTIFACTS"]);
    const first = await confirmPlan(t.engine, { planId, actor: admin });
    const second = await confirmPlan(t.engine, { planId, actor: admin });
    expect(second.runId).toBe(first.runId);
    const run = await workToEnd(t.engine, first.runId);
    expect(run.deleted).toBe(1n);
    const rerun = await confirmPlan(t.engine, {
      planId: await preview([org.id], ["ARTIFACTS"]),
      actor: admin,
    });
    expect((await workToEnd(t.engine, rerun.runId)).deleted).toBe(0n);
    expect(await t.engine.db.artifact.count({ where: { orgId: org.id } })).toBe(1);
  });

  it("two runs over the same items: each item is deleted once, counted once, and the other run reports it already gone", async () => {
    const org = await b.org("FREE");
    for (let i = 0; i < 40; i++) await b.artifact(org.id, 40 + i);
    await b.artifact(org.id, 1);
    const first = await confirmAcknowledged(await preview([org.id], ["ARTIFACTS"]));
    const second = await confirmAcknowledged(await preview([org.id], ["ARTIFACTS"]));
    const other = await createTestEngine({ database: t.database, settings: { batchSize: 5 } });
    try {
      await Promise.all([workToEnd(t.engine, first.runId), workToEnd(other.engine, second.runId)]);
    } finally {
      await other.close();
    }
    const runs = await t.engine.db.purgeRun.findMany({
      where: { id: { in: [first.runId, second.runId] } },
    });
    expect(runs.reduce((n, r) => n + Number(r.deleted), 0)).toBe(40);
    expect(runs.reduce((n, r) => n + Number(r.skipped), 0)).toBe(40);
    expect(await t.engine.db.artifact.count({ where: { orgId: org.id } })).toBe(1);
    const skips = await t.engine.db.planItemSetAside.findMany({
      where: { planId: { in: runs.map((r) => r.planId) }, state: "SKIPPED" },
    });
    expect(new Set(skips.map((s) => s.reason))).toEqual(new Set(["already gone"]));
  });
});

describe("an item's reason", () => {
  it("names an org override and the plan's own window, in the preview and in Upcoming deletions", async () => {
    const org = await b.org("PRO");
    await b.artifact(org.id, 250);
    await t.engine.db.retentionOverride.create({
      data: {
        orgId: org.id,
        category: "ARTIFACTS",
        days: 200,
        reason: "contract",
        setById: admin.id,
      },
    });
    const rule = "org override, artifacts 200 days (PRO plan: 365 days)";
    const view = await planView(
      t.engine.db,
      await preview([org.id], ["ARTIFACTS"]),
      { offset: 0, limit: 10 },
      NOW,
    );
    expect(view.entries[0]?.sample[0]?.reason).toMatch(/^eligible since \d{4}-\d{2}-\d{2}: /);
    expect(view.entries[0]?.sample[0]?.reason).toContain(`: ${rule}`);
    const due = await dueItemsOf(
      t.engine.db,
      t.engine.settings,
      { orgId: org.id, category: "ARTIFACTS", horizonDays: 30, offset: 0, limit: 10 },
      NOW,
    );
    // Upcoming deletions show the day beside it: the reason is the rule.
    expect(due.items[0]?.reason).toBe(rule);
  });
});
