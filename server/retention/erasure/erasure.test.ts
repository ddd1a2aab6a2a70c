import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appError } from "@/test/app-error";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { erasureWorld } from "@/test/erasure";
import { listPins } from "@/server/console/pins";
import { orgHistory } from "@/server/console/org-history";
import { planView } from "@/server/console/plan-view";
import { confirmPlan } from "../plan/confirm";
import { placeHold } from "../policy/holds";
import { placePin } from "../policy/pins";
import { approveErasure, previewErasure, rejectErasure } from "./requests";
import { describeScope, scopeView } from "./scope";
import { sql } from "../sql";
import { createUser, setRole } from "@/server/accounts/users";

let t: TestEngine;
let w: Awaited<ReturnType<typeof erasureWorld>>;
beforeAll(async () => {
  t = await createTestEngine();
  w = await erasureWorld(t);
});
afterAll(() => t.close());

describe("GDPR erasure", () => {
  it("an admin made after the request, as its requester could make one, cannot be its second admin", async () => {
    const { org } = await w.enterpriseOrg();
    const erasure = await w.request(org.id);
    const requester = { id: w.requester.id };
    const { user: created } = await createUser(t.engine.db, {
      actor: requester,
      via: "console",
      production: false,
      account: { email: `sock-${erasure.id}@example.com`, name: "Sock", role: "ADMIN" },
    });
    const viewer = await w.b.user("VIEWER");
    await setRole(t.engine.db, {
      actor: requester,
      via: "console",
      userId: viewer.id,
      role: "ADMIN",
    });
    for (const late of [created, viewer]) {
      const error = await appError(
        previewErasure(t.engine, { actor: { id: late.id }, requestId: erasure.id }),
      );
      expect([error.code, error.message]).toEqual([
        "FORBIDDEN",
        expect.stringMatching(
          new RegExp(
            `^A second admin who already held the role when erasure #${erasure.id} was requested \\(.+\\) must decide: you are an admin since `,
          ),
        ),
      ]);
    }
    // An admin from before the request decides, as ever.
    await rejectErasure(t.engine.db, { actor: w.approver, requestId: erasure.id });
  });

  it("the requester can neither preview, approve nor reject it; nothing is deleted until a second admin approves", async () => {
    const { org, artifacts } = await w.enterpriseOrg();
    const erasure = await w.request(org.id);
    for (const attempt of [
      () => previewErasure(t.engine, { actor: w.requester, requestId: erasure.id }),
      () => rejectErasure(t.engine.db, { actor: w.requester, requestId: erasure.id }),
    ]) {
      const error = await appError(attempt());
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toMatch(/A second admin must decide on this erasure/);
    }
    const planId = await previewErasure(t.engine, { actor: w.approver, requestId: erasure.id });
    const own = await appError(
      approveErasure(t.engine, { actor: w.requester, requestId: erasure.id, planId }),
    );
    expect(own.code).toBe("FORBIDDEN");
    // Nor through the ordinary confirmation, by anyone.
    const ordinary = await appError(confirmPlan(t.engine, { planId, actor: w.approver }));
    expect(ordinary.code).toBe("FORBIDDEN");
    expect(await w.artifactsLeft(org.id)).toBe(2);

    const { runId } = await approveErasure(t.engine, {
      actor: w.approver,
      requestId: erasure.id,
      planId,
    });
    expect((await workToEnd(t.engine, runId)).deleted).toBe(2n);
    expect(await w.artifactsLeft(org.id)).toBe(0);
    for (const a of artifacts) expect(await t.engine.store.head(a.objectKey)).toBeNull();
    const decided = await t.engine.db.erasureRequest.findUniqueOrThrow({
      where: { id: erasure.id },
    });
    expect(decided).toMatchObject({ decidedById: w.approver.id, runId, status: "EXECUTED" });
  });

  it("takes pinned artifacts, says so in its preview, and ends their pins; a held artifact keeps its pin", async () => {
    const { org, artifacts } = await w.enterpriseOrg();
    const [pinned, plain] = artifacts;
    if (!pinned || !plain) throw new Error("the world has two artifacts");
    const held = await w.b.artifact(org.id, 5);
    await placeHold(t.engine.db, {
      actor: w.approver,
      target: { scope: "ARTIFACT", artifactId: held.id },
      reason: "Copyright claim",
    });
    const until = new Date(NOW.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    const pin = (artifactId: number) =>
      placePin(t.engine.db, {
        actor: w.requester,
        target: { scope: "ARTIFACT", artifactId },
        until,
        reason: "customer dispute #42",
        env: t.engine.settings.policy,
        now: NOW,
      });
    const erasedPin = await pin(pinned.id);
    const heldPin = await pin(held.id);

    const erasure = await w.request(org.id);
    const planId = await previewErasure(t.engine, { actor: w.approver, requestId: erasure.id });
    const preview = await planView(t.engine.db, planId, { offset: 0, limit: 10 }, NOW);
    // The held one is kept, pin or not; of what the erasure takes, one is pinned.
    expect(preview.itemCount).toBe(2n);
    expect(preview.erasure).toMatchObject({ keptByHold: 1, takesPinned: 1 });

    const { runId } = await approveErasure(t.engine, {
      actor: w.approver,
      requestId: erasure.id,
      planId,
    });
    expect((await workToEnd(t.engine, runId)).deleted).toBe(2n);
    expect(await w.requestRow(erasure.id)).toMatchObject({
      status: "INCOMPLETE",
      incompleteReason: "1 artifact kept by a legal hold on them",
    });
    expect(await t.engine.db.artifact.findUnique({ where: { id: held.id } })).not.toBeNull();

    // Only the held artifact's pin is still in force.
    const inForce = await listPins(t.engine.db, { orgId: org.id, inForce: true }, NOW);
    expect(inForce.map((p) => [p.id, p.artifactId])).toEqual([[heldPin.id, held.id]]);
    const every = await listPins(t.engine.db, { orgId: org.id, inForce: false }, NOW);
    expect(every.find((p) => p.id === erasedPin.id)).toMatchObject({
      inForce: false,
      removedAt: NOW,
      removedBy: null,
    });
    // Audited as ended by the erasure, by no person.
    const audit = await t.engine.db.auditEntry.findMany({
      where: { target: `pin:${erasedPin.id}` },
      orderBy: { id: "asc" },
    });
    expect(audit.map((e) => [e.action, e.actor, e.orgId])).toEqual([
      ["pin.placed", `user:${w.requester.id}`, org.id],
      ["pin.ended", "system", org.id],
    ]);
    expect(audit[1]?.details).toEqual({
      scope: "ARTIFACT",
      artifactId: pinned.id,
      until,
      erasure: erasure.id,
      run: runId,
    });
    expect(
      await t.engine.db.auditEntry.count({
        where: { target: `pin:${heldPin.id}`, action: { not: "pin.placed" } },
      }),
    ).toBe(0);
    // The org's history says the erasure ended it.
    const history = await orgHistory(t.engine.db, {
      orgId: org.id,
      kinds: ["pins"],
      limit: 10,
      now: NOW,
    });
    expect(history.entries[0]).toMatchObject({
      kind: "pin",
      event: "ended",
      id: erasedPin.id,
      artifactId: pinned.id,
      until,
      erasureId: erasure.id,
      actor: "system",
    });
  });

  it("erases one member's artifacts only, whatever their age", async () => {
    const { org } = await w.enterpriseOrg();
    const member = await t.engine.db.member.create({ data: { orgId: org.id, externalId: "m-1" } });
    await w.b.artifact(org.id, 2, { memberId: member.id });
    await w.b.artifact(org.id, 3, { memberId: member.id });
    const erasure = await w.request(org.id, member.id);
    const planId = await previewErasure(t.engine, { actor: w.approver, requestId: erasure.id });
    const { runId } = await approveErasure(t.engine, {
      actor: w.approver,
      requestId: erasure.id,
      planId,
    });
    expect((await workToEnd(t.engine, runId)).deleted).toBe(2n);
    expect(await t.engine.db.artifact.count({ where: { memberId: member.id } })).toBe(0);
    expect(await w.artifactsLeft(org.id)).toBe(2);
  });

  it("an approval whose preview expired leaves the request pending, to be previewed and approved again", async () => {
    const { org } = await w.enterpriseOrg();
    const erasure = await w.request(org.id);
    const planId = await previewErasure(t.engine, { actor: w.approver, requestId: erasure.id });
    const later = await createTestEngine({
      database: t.database,
      now: () => new Date(NOW.getTime() + 16 * 60_000),
    });
    try {
      const expired = await appError(
        approveErasure(later.engine, { actor: w.approver, requestId: erasure.id, planId }),
      );
      expect(expired.code).toBe("PLAN_EXPIRED");
      expect(
        await t.engine.db.erasureRequest.findUniqueOrThrow({ where: { id: erasure.id } }),
      ).toMatchObject({ status: "PENDING", decidedById: null, runId: null });
      const fresh = await previewErasure(later.engine, {
        actor: w.approver,
        requestId: erasure.id,
      });
      const { runId } = await approveErasure(later.engine, {
        actor: w.approver,
        requestId: erasure.id,
        planId: fresh,
      });
      expect((await workToEnd(later.engine, runId)).deleted).toBe(2n);
    } finally {
      await later.close();
    }
    expect(await w.artifactsLeft(org.id)).toBe(0);
  });

  it("refuses to preview or approve a member request once the member is gone: nothing is deleted, the org's other artifacts stay", async () => {
    const { org, artifacts } = await w.enterpriseOrg();
    const member = await t.engine.db.member.create({
      data: { orgId: org.id, externalId: "m-gone" },
    });
    const theirs = [
      await w.b.artifact(org.id, 2, { memberId: member.id }),
      await w.b.artifact(org.id, 3, { memberId: member.id }),
    ];
    const erasure = await w.request(org.id, member.id);
    const planId = await previewErasure(t.engine, { actor: w.approver, requestId: erasure.id });
    // The governed SaaS deletes the member: the request's and the artifacts' links go null.
    await t.engine.db.member.delete({ where: { id: member.id } });

    for (const attempt of [
      () => previewErasure(t.engine, { actor: w.approver, requestId: erasure.id }),
      () => approveErasure(t.engine, { actor: w.approver, requestId: erasure.id, planId }),
    ]) {
      const error = await appError(attempt());
      expect(error.code).toBe("PRECONDITION");
      expect(error.message).toContain(
        `Erasure request #${erasure.id} is for Member m-gone (#${member.id}) — no longer exists`,
      );
      expect(error.message).toMatch(/Nothing was deleted\. Reject this request/);
    }
    expect(await w.artifactsLeft(org.id)).toBe(4);
    for (const a of [...artifacts, ...theirs])
      expect(await t.engine.store.head(a.objectKey)).not.toBeNull();
    expect(await t.engine.db.purgeRun.count({ where: { planId } })).toBe(0);
    const row = await t.engine.db.erasureRequest.findUniqueOrThrow({ where: { id: erasure.id } });
    expect(row).toMatchObject({ status: "PENDING", scope: "MEMBER", scopeMemberId: member.id });
    expect(describeScope(scopeView(row))).toBe(`Member m-gone (#${member.id}) — no longer exists`);

    await rejectErasure(t.engine.db, { actor: w.approver, requestId: erasure.id });
    expect(await w.artifactsLeft(org.id)).toBe(4);
  });

  it("keeps a request's scope as it was requested: no UPDATE can change it", async () => {
    const { org } = await w.enterpriseOrg();
    const other = await w.b.org("ENTERPRISE");
    const member = await t.engine.db.member.create({ data: { orgId: org.id, externalId: "m-1" } });
    const erasure = await w.request(org.id, member.id);
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
    const wholeOrg = await w.request(org.id);
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

  it("refuses a request that repeats an open one, whoever asks, until it is decided", async () => {
    const { org } = await w.enterpriseOrg();
    const member = await t.engine.db.member.create({ data: { orgId: org.id, externalId: "m-9" } });
    const count = () => t.engine.db.erasureRequest.count({ where: { orgId: org.id } });
    // Two at once: one is made, the other refused.
    const both = await Promise.allSettled([w.request(org.id), w.request(org.id)]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const first = await t.engine.db.erasureRequest.findFirstOrThrow({ where: { orgId: org.id } });
    const error = await appError(w.request(org.id));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe(
      `Erasure request #${first.id} (Whole organization) is already open (pending): a second admin approves or rejects that one; nothing new was requested.`,
    );
    expect(await count()).toBe(1);
    // Another scope of the same org is another request.
    await w.request(org.id, member.id);
    expect(await count()).toBe(2);
    await rejectErasure(t.engine.db, { actor: w.approver, requestId: first.id });
    await w.request(org.id);
    expect(await count()).toBe(3);
  });
});
