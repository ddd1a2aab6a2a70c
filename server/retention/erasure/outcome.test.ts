import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appError } from "@/test/app-error";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { erasureWorld, refusingToDelete } from "@/test/erasure";
import { approveErasure, previewErasure } from "./requests";
import { placeHold, releaseHold } from "../policy/holds";
import { orgHistory } from "@/server/console/org-history";
import { renderMetrics } from "../evidence/metrics";

let t: TestEngine;
let w: Awaited<ReturnType<typeof erasureWorld>>;
beforeAll(async () => {
  t = await createTestEngine();
  w = await erasureWorld(t);
});
afterAll(() => t.close());

describe("GDPR erasure: executed only when everything in scope is erased", () => {
  it("stops at a legal hold: a held artifact stays and the request ends incomplete; a held org's erasure is neither previewed nor approved", async () => {
    const { org, artifacts } = await w.enterpriseOrg();
    const [held, free] = artifacts;
    const hold = await placeHold(t.engine.db, {
      actor: w.approver,
      target: { scope: "ARTIFACT", artifactId: held?.id ?? 0 },
      reason: "Copyright claim",
    });
    const erasure = await w.request(org.id);
    const planId = await previewErasure(t.engine, { actor: w.approver, requestId: erasure.id });
    const { runId } = await approveErasure(t.engine, {
      actor: w.approver,
      requestId: erasure.id,
      planId,
    });
    expect((await workToEnd(t.engine, runId)).deleted).toBe(1n);
    expect(await t.engine.db.artifact.findUnique({ where: { id: held?.id ?? 0 } })).not.toBeNull();
    expect(await t.engine.db.artifact.findUnique({ where: { id: free?.id ?? 0 } })).toBeNull();
    expect(await w.requestRow(erasure.id)).toMatchObject({
      status: "INCOMPLETE",
      incompleteReason: "1 artifact kept by a legal hold on them",
    });
    // Released, the request is previewed and approved again, and ends executed.
    await releaseHold(t.engine.db, {
      actor: w.approver,
      holdId: hold.id,
      reason: "the matter is closed",
    });
    await w.erase(t.engine, erasure.id, 1n);
    expect(await w.artifactsLeft(org.id)).toBe(0);

    const heldOrg = await w.enterpriseOrg();
    const orgHold = await placeHold(t.engine.db, {
      actor: w.approver,
      target: { scope: "ORG", orgId: heldOrg.org.id },
      reason: "Litigation",
    });
    const second = await w.request(heldOrg.org.id);
    const refused = await appError(
      previewErasure(t.engine, { actor: w.approver, requestId: second.id }),
    );
    expect(refused.code).toBe("PRECONDITION");
    expect(refused.message).toBe(
      `${heldOrg.org.name} is under legal hold #${orgHold.id}: a hold stops every purge, GDPR erasure included, until it is released. Nothing was deleted; erasure request #${second.id} stays pending. Preview it again once the hold is released.`,
    );
    expect(await t.engine.db.purgePlan.count({ where: { erasureId: second.id } })).toBe(0);
    expect(await w.artifactsLeft(heldOrg.org.id)).toBe(2);
  });

  it("a run that fails to erase everything leaves the request INCOMPLETE with why; approved again, it is EXECUTED once a run erases everything", async () => {
    const { org, artifacts } = await w.enterpriseOrg();
    const [stuck] = artifacts;
    const erasure = await w.request(org.id);
    const failing = await createTestEngine({
      database: t.database,
      store: refusingToDelete(new Set([stuck?.objectKey ?? ""])),
    });
    try {
      const planId = await previewErasure(failing.engine, {
        actor: w.approver,
        requestId: erasure.id,
      });
      const { runId } = await approveErasure(failing.engine, {
        actor: w.approver,
        requestId: erasure.id,
        planId,
      });
      expect((await workToEnd(failing.engine, runId)).status).toBe("PARTIAL");
      const again = await appError(
        approveErasure(t.engine, { actor: w.approver, requestId: erasure.id, planId }),
      );
      expect(again.message).toMatch(/was already approved and run .* preview erasure #\d+ again/);
    } finally {
      await failing.close();
    }
    expect(await w.requestRow(erasure.id)).toMatchObject({
      status: "INCOMPLETE",
      incompleteReason: "run PARTIAL: 1 artifact failed (object not deleted: AccessDenied)",
    });
    expect(await w.artifactsLeft(org.id)).toBe(1);
    // On-call sees it without opening the run: failed items are counted by what started the run.
    expect((await renderMetrics(t.engine.db)).body).toContain(
      'retention_items_failed_total{trigger="ERASURE"} 1',
    );
    // The requester still cannot approve it.
    const own = await appError(
      previewErasure(t.engine, { actor: w.requester, requestId: erasure.id }),
    );
    expect(own.code).toBe("FORBIDDEN");
    await w.erase(t.engine, erasure.id, 1n);
    expect(await w.artifactsLeft(org.id)).toBe(0);
    // The org's history keeps both approvals, each with its own run.
    const { entries } = await orgHistory(t.engine.db, {
      orgId: org.id,
      kinds: ["erasures"],
      now: new Date(),
      limit: 20,
    });
    const runs = await t.engine.db.purgeRun.findMany({
      where: { plan: { erasureId: erasure.id } },
      orderBy: { startedAt: "desc" },
      select: { id: true },
    });
    expect(runs).toHaveLength(2);
    expect(
      entries.map((e) => (e.kind === "erasure" ? [e.event, e.runId] : [e.kind, null])),
    ).toEqual([
      ["approved", runs[0]?.id],
      ["approved", runs[1]?.id],
      ["requested", runs[0]?.id],
    ]);
    const audit = await t.engine.db.auditEntry.findMany({
      where: { target: `erasure:${erasure.id}` },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "erasure.requested",
      "erasure.approved",
      "erasure.incomplete",
      "erasure.approved",
      "erasure.executed",
    ]);
    expect(audit[2]?.details).toMatchObject({
      scope: "ORGANIZATION",
      runStatus: "PARTIAL",
      erased: "1",
      failed: "1",
    });
  });

  it("a run given up on (FAILED) erases nothing: the request says so", async () => {
    const { org } = await w.enterpriseOrg();
    const erasure = await w.request(org.id);
    const broken = await createTestEngine({
      database: t.database,
      store: refusingToDelete("all"),
      settings: { maxTaskAttempts: 1 },
    });
    try {
      const planId = await previewErasure(broken.engine, {
        actor: w.approver,
        requestId: erasure.id,
      });
      const { runId } = await approveErasure(broken.engine, {
        actor: w.approver,
        requestId: erasure.id,
        planId,
      });
      expect((await workToEnd(broken.engine, runId)).status).toBe("FAILED");
    } finally {
      await broken.close();
    }
    const row = await w.requestRow(erasure.id);
    expect(row.status).toBe("INCOMPLETE");
    expect(row.incompleteReason).toMatch(
      /^nothing was erased: run FAILED: 2 artifacts not reached$/,
    );
    await w.erase(t.engine, erasure.id, 2n);
  });

  it("an org placed on hold while its erasure runs: nothing erased, INCOMPLETE, and executed after the hold is released", async () => {
    const { org } = await w.enterpriseOrg();
    const erasure = await w.request(org.id);
    const planId = await previewErasure(t.engine, { actor: w.approver, requestId: erasure.id });
    const { runId } = await approveErasure(t.engine, {
      actor: w.approver,
      requestId: erasure.id,
      planId,
    });
    const hold = await placeHold(t.engine.db, {
      actor: w.approver,
      target: { scope: "ORG", orgId: org.id },
      reason: "Litigation",
    });
    expect((await workToEnd(t.engine, runId)).deleted).toBe(0n);
    expect(await w.requestRow(erasure.id)).toMatchObject({
      status: "INCOMPLETE",
      incompleteReason: `nothing was erased: 2 artifacts skipped (kept now: legal hold #${hold.id} on the organization)`,
    });
    expect(await w.artifactsLeft(org.id)).toBe(2);
    const held = await appError(
      previewErasure(t.engine, { actor: w.approver, requestId: erasure.id }),
    );
    expect(held.message).toMatch(/stays incomplete\. Preview it again once the hold is released/);
    await releaseHold(t.engine.db, {
      actor: w.approver,
      holdId: hold.id,
      reason: "the matter is closed",
    });
    await w.erase(t.engine, erasure.id, 2n);
    expect(await w.artifactsLeft(org.id)).toBe(0);
  });
});
