import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appError } from "@/test/app-error";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, settle, type TestEngine } from "@/test/engine";
import { confirmPlan } from "./confirm";
import { approveErasure, previewErasure, rejectErasure, requestErasure } from "./erasure";
import { describeScope, scopeView } from "./erasure-scope";
import type { ObjectStore } from "@/server/storage";
import { testS3Store } from "@/test/storage";
import type { Engine } from "./engine";
import { placeHold, releaseHold } from "./holds";
import { sql } from "./sql";

let t: TestEngine;
let b: ReturnType<typeof builders>;
let requester: { id: number };
let approver: { id: number };
beforeAll(async () => {
  t = await createTestEngine();
  b = builders(t.engine.db, t.engine.store);
  requester = await b.user("ADMIN");
  approver = await b.user("ADMIN");
});
afterAll(() => t.close());

/** An org whose artifacts no window would ever purge: young ones, on a plan that keeps them forever. */
async function enterpriseOrg() {
  const org = await b.org("ENTERPRISE");
  const artifacts = [await b.artifact(org.id, 1), await b.artifact(org.id, 400)];
  return { org, artifacts };
}

const request = (orgId: number, memberId?: number) =>
  requestErasure(t.engine.db, {
    actor: requester,
    orgId,
    scope: memberId === undefined ? { kind: "ORGANIZATION" } : { kind: "MEMBER", memberId },
    reason: "DSR-2026-0117",
  });

const artifactsLeft = (orgId: number) => t.engine.db.artifact.count({ where: { orgId } });

const requestRow = (id: number) => t.engine.db.erasureRequest.findUniqueOrThrow({ where: { id } });

/** A second admin previews and approves the request again; its run erases `erased` and executes it. */
async function eraseAgain(engine: Engine, requestId: number, erased: bigint) {
  const planId = await previewErasure(engine, { actor: approver, requestId });
  const { runId } = await approveErasure(engine, { actor: approver, requestId, planId });
  const run = await settle(engine, runId);
  expect([run.status, run.deleted]).toEqual(["SUCCEEDED", erased]);
  expect(await requestRow(requestId)).toMatchObject({
    status: "EXECUTED",
    runId,
    incompleteReason: null,
  });
}

/** The test S3 store, refusing to delete these objects (or all), as S3 answering AccessDenied. */
function refusingToDelete(refused: Set<string> | "all"): ObjectStore {
  const store = testS3Store();
  const isRefused = (key: string) => refused !== "all" && refused.has(key);
  return {
    kind: store.kind,
    put: (key, body) => store.put(key, body),
    head: (key) => store.head(key),
    list: (prefix, options) => store.list(prefix, options),
    async deleteMany(keys) {
      if (refused === "all") throw new Error("S3 is unreachable");
      const outcome = await store.deleteMany(keys.filter((k) => !isRefused(k)));
      const failed = keys.filter(isRefused).map((key) => ({ key, reason: "AccessDenied" }));
      return { ...outcome, failed: [...outcome.failed, ...failed] };
    },
  };
}

describe("GDPR erasure", () => {
  it("the requester can neither preview, approve nor reject it; nothing is deleted until a second admin approves", async () => {
    const { org, artifacts } = await enterpriseOrg();
    const erasure = await request(org.id);
    for (const attempt of [
      previewErasure(t.engine, { actor: requester, requestId: erasure.id }),
      rejectErasure(t.engine.db, { actor: requester, requestId: erasure.id }),
    ]) {
      const error = await appError(attempt);
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toMatch(/A second admin must decide on this erasure/);
    }
    const planId = await previewErasure(t.engine, { actor: approver, requestId: erasure.id });
    const own = await appError(
      approveErasure(t.engine, { actor: requester, requestId: erasure.id, planId }),
    );
    expect(own.code).toBe("FORBIDDEN");
    // Nor through the ordinary confirmation, by anyone.
    const ordinary = await appError(confirmPlan(t.engine, { planId, actor: approver }));
    expect(ordinary.code).toBe("FORBIDDEN");
    expect(await artifactsLeft(org.id)).toBe(2);

    const { runId } = await approveErasure(t.engine, {
      actor: approver,
      requestId: erasure.id,
      planId,
    });
    expect((await settle(t.engine, runId)).deleted).toBe(2n);
    expect(await artifactsLeft(org.id)).toBe(0);
    for (const a of artifacts) expect(await t.engine.store.head(a.objectKey)).toBeNull();
    const decided = await t.engine.db.erasureRequest.findUniqueOrThrow({
      where: { id: erasure.id },
    });
    expect(decided).toMatchObject({ decidedById: approver.id, runId, status: "EXECUTED" });
  });

  it("erases one member's artifacts only, whatever their age", async () => {
    const { org } = await enterpriseOrg();
    const member = await t.engine.db.member.create({ data: { orgId: org.id, externalId: "m-1" } });
    await b.artifact(org.id, 2, { memberId: member.id });
    await b.artifact(org.id, 3, { memberId: member.id });
    const erasure = await request(org.id, member.id);
    const planId = await previewErasure(t.engine, { actor: approver, requestId: erasure.id });
    const { runId } = await approveErasure(t.engine, {
      actor: approver,
      requestId: erasure.id,
      planId,
    });
    expect((await settle(t.engine, runId)).deleted).toBe(2n);
    expect(await t.engine.db.artifact.count({ where: { memberId: member.id } })).toBe(0);
    expect(await artifactsLeft(org.id)).toBe(2);
  });

  it("stops at a legal hold: a held artifact stays and the request ends incomplete; a held org's erasure is neither previewed nor approved", async () => {
    const { org, artifacts } = await enterpriseOrg();
    const [held, free] = artifacts;
    const hold = await placeHold(t.engine.db, {
      actor: approver,
      target: { scope: "ARTIFACT", artifactId: held?.id ?? 0 },
      reason: "Copyright claim",
    });
    const erasure = await request(org.id);
    const planId = await previewErasure(t.engine, { actor: approver, requestId: erasure.id });
    const { runId } = await approveErasure(t.engine, {
      actor: approver,
      requestId: erasure.id,
      planId,
    });
    expect((await settle(t.engine, runId)).deleted).toBe(1n);
    expect(await t.engine.db.artifact.findUnique({ where: { id: held?.id ?? 0 } })).not.toBeNull();
    expect(await t.engine.db.artifact.findUnique({ where: { id: free?.id ?? 0 } })).toBeNull();
    expect(await requestRow(erasure.id)).toMatchObject({
      status: "INCOMPLETE",
      incompleteReason: "1 artifact kept by a legal hold on them",
    });
    // Released, the request is previewed and approved again, and ends executed.
    await releaseHold(t.engine.db, { actor: approver, holdId: hold.id });
    await eraseAgain(t.engine, erasure.id, 1n);
    expect(await artifactsLeft(org.id)).toBe(0);

    const heldOrg = await enterpriseOrg();
    const orgHold = await placeHold(t.engine.db, {
      actor: approver,
      target: { scope: "ORG", orgId: heldOrg.org.id },
      reason: "Litigation",
    });
    const second = await request(heldOrg.org.id);
    const refused = await appError(
      previewErasure(t.engine, { actor: approver, requestId: second.id }),
    );
    expect(refused.code).toBe("PRECONDITION");
    expect(refused.message).toBe(
      `${heldOrg.org.name} is under legal hold #${orgHold.id}: a hold stops every purge, GDPR erasure included, until it is released. Nothing was deleted; erasure request #${second.id} stays pending. Preview it again once the hold is released.`,
    );
    expect(await t.engine.db.purgePlan.count({ where: { erasureId: second.id } })).toBe(0);
    expect(await artifactsLeft(heldOrg.org.id)).toBe(2);
  });

  it("a run that fails to erase everything leaves the request INCOMPLETE with why; approved again, it is EXECUTED once a run erases everything", async () => {
    const { org, artifacts } = await enterpriseOrg();
    const [stuck] = artifacts;
    const erasure = await request(org.id);
    const failing = await createTestEngine({
      database: t.database,
      store: refusingToDelete(new Set([stuck?.objectKey ?? ""])),
    });
    try {
      const planId = await previewErasure(failing.engine, {
        actor: approver,
        requestId: erasure.id,
      });
      const { runId } = await approveErasure(failing.engine, {
        actor: approver,
        requestId: erasure.id,
        planId,
      });
      expect((await settle(failing.engine, runId)).status).toBe("PARTIAL");
      const again = await appError(
        approveErasure(t.engine, { actor: approver, requestId: erasure.id, planId }),
      );
      expect(again.message).toMatch(/was already approved and run .* preview erasure #\d+ again/);
    } finally {
      await failing.close();
    }
    expect(await requestRow(erasure.id)).toMatchObject({
      status: "INCOMPLETE",
      incompleteReason: "run PARTIAL: 1 artifact failed (object not deleted: AccessDenied)",
    });
    expect(await artifactsLeft(org.id)).toBe(1);
    // The requester still cannot approve it.
    const own = await appError(
      previewErasure(t.engine, { actor: requester, requestId: erasure.id }),
    );
    expect(own.code).toBe("FORBIDDEN");
    await eraseAgain(t.engine, erasure.id, 1n);
    expect(await artifactsLeft(org.id)).toBe(0);
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
    const { org } = await enterpriseOrg();
    const erasure = await request(org.id);
    const broken = await createTestEngine({
      database: t.database,
      store: refusingToDelete("all"),
      settings: { maxTaskAttempts: 1 },
    });
    try {
      const planId = await previewErasure(broken.engine, {
        actor: approver,
        requestId: erasure.id,
      });
      const { runId } = await approveErasure(broken.engine, {
        actor: approver,
        requestId: erasure.id,
        planId,
      });
      expect((await settle(broken.engine, runId)).status).toBe("FAILED");
    } finally {
      await broken.close();
    }
    const row = await requestRow(erasure.id);
    expect(row.status).toBe("INCOMPLETE");
    expect(row.incompleteReason).toMatch(
      /^nothing was erased: run FAILED: 2 artifacts not reached$/,
    );
    await eraseAgain(t.engine, erasure.id, 2n);
  });

  it("an org placed on hold while its erasure runs: nothing erased, INCOMPLETE, and executed after the hold is released", async () => {
    const { org } = await enterpriseOrg();
    const erasure = await request(org.id);
    const planId = await previewErasure(t.engine, { actor: approver, requestId: erasure.id });
    const { runId } = await approveErasure(t.engine, {
      actor: approver,
      requestId: erasure.id,
      planId,
    });
    const hold = await placeHold(t.engine.db, {
      actor: approver,
      target: { scope: "ORG", orgId: org.id },
      reason: "Litigation",
    });
    expect((await settle(t.engine, runId)).deleted).toBe(0n);
    expect(await requestRow(erasure.id)).toMatchObject({
      status: "INCOMPLETE",
      incompleteReason: `nothing was erased: 2 artifacts skipped (kept now: legal hold #${hold.id} on the organization)`,
    });
    expect(await artifactsLeft(org.id)).toBe(2);
    const held = await appError(
      previewErasure(t.engine, { actor: approver, requestId: erasure.id }),
    );
    expect(held.message).toMatch(/stays incomplete\. Preview it again once the hold is released/);
    await releaseHold(t.engine.db, { actor: approver, holdId: hold.id });
    await eraseAgain(t.engine, erasure.id, 2n);
    expect(await artifactsLeft(org.id)).toBe(0);
  });

  it("an approval whose preview expired leaves the request pending, to be previewed and approved again", async () => {
    const { org } = await enterpriseOrg();
    const erasure = await request(org.id);
    const planId = await previewErasure(t.engine, { actor: approver, requestId: erasure.id });
    const later = await createTestEngine({
      database: t.database,
      now: () => new Date(NOW.getTime() + 16 * 60_000),
    });
    try {
      const expired = await appError(
        approveErasure(later.engine, { actor: approver, requestId: erasure.id, planId }),
      );
      expect(expired.code).toBe("PLAN_EXPIRED");
      expect(
        await t.engine.db.erasureRequest.findUniqueOrThrow({ where: { id: erasure.id } }),
      ).toMatchObject({ status: "PENDING", decidedById: null, runId: null });
      const fresh = await previewErasure(later.engine, { actor: approver, requestId: erasure.id });
      const { runId } = await approveErasure(later.engine, {
        actor: approver,
        requestId: erasure.id,
        planId: fresh,
      });
      expect((await settle(later.engine, runId)).deleted).toBe(2n);
    } finally {
      await later.close();
    }
    expect(await artifactsLeft(org.id)).toBe(0);
  });

  it("refuses to preview or approve a member request once the member is gone: nothing is deleted, the org's other artifacts stay", async () => {
    const { org, artifacts } = await enterpriseOrg();
    const member = await t.engine.db.member.create({
      data: { orgId: org.id, externalId: "m-gone" },
    });
    const theirs = [
      await b.artifact(org.id, 2, { memberId: member.id }),
      await b.artifact(org.id, 3, { memberId: member.id }),
    ];
    const erasure = await request(org.id, member.id);
    const planId = await previewErasure(t.engine, { actor: approver, requestId: erasure.id });
    // The governed SaaS deletes the member: the request's and the artifacts' links go null.
    await t.engine.db.member.delete({ where: { id: member.id } });

    for (const attempt of [
      previewErasure(t.engine, { actor: approver, requestId: erasure.id }),
      approveErasure(t.engine, { actor: approver, requestId: erasure.id, planId }),
    ]) {
      const error = await appError(attempt);
      expect(error.code).toBe("PRECONDITION");
      expect(error.message).toContain(
        `Erasure request #${erasure.id} is for Member m-gone (#${member.id}) — no longer exists`,
      );
      expect(error.message).toMatch(/Nothing was deleted\. Reject this request/);
    }
    expect(await artifactsLeft(org.id)).toBe(4);
    for (const a of [...artifacts, ...theirs])
      expect(await t.engine.store.head(a.objectKey)).not.toBeNull();
    expect(await t.engine.db.purgeRun.count({ where: { planId } })).toBe(0);
    const row = await t.engine.db.erasureRequest.findUniqueOrThrow({ where: { id: erasure.id } });
    expect(row).toMatchObject({ status: "PENDING", scope: "MEMBER", scopeMemberId: member.id });
    expect(describeScope(scopeView(row))).toBe(`Member m-gone (#${member.id}) — no longer exists`);

    await rejectErasure(t.engine.db, { actor: approver, requestId: erasure.id });
    expect(await artifactsLeft(org.id)).toBe(4);
  });

  it("keeps a request's scope as it was requested: no UPDATE can change it", async () => {
    const { org } = await enterpriseOrg();
    const other = await b.org("ENTERPRISE");
    const member = await t.engine.db.member.create({ data: { orgId: org.id, externalId: "m-1" } });
    const erasure = await request(org.id, member.id);
    expect(describeScope(scopeView(erasure))).toBe(`Member m-1 (#${member.id})`);
    for (const change of [
      sql`scope = 'ORGANIZATION', scope_member_id = NULL, scope_member_external_id = NULL, member_id = NULL`,
      sql`scope_member_id = NULL`,
      sql`scope_member_external_id = 'm-2'`,
      sql`org_id = ${other.id}`,
    ]) {
      await expect(
        t.engine.db.$executeRaw(
          sql`UPDATE erasure_requests SET ${change} WHERE id = ${erasure.id}`,
        ),
      ).rejects.toThrow(/its scope is fixed when it is requested/);
    }
    const wholeOrg = await request(org.id);
    await expect(
      t.engine.db.$executeRaw(
        sql`UPDATE erasure_requests SET scope = 'MEMBER', scope_member_id = ${member.id} WHERE id = ${wholeOrg.id}`,
      ),
    ).rejects.toThrow(/its scope is fixed when it is requested/);
    expect(
      await t.engine.db.erasureRequest.findUniqueOrThrow({ where: { id: erasure.id } }),
    ).toMatchObject({
      orgId: org.id,
      scope: "MEMBER",
      scopeMemberId: member.id,
      scopeMemberExternalId: "m-1",
    });
  });
});
