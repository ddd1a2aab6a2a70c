import type { Db } from "../../db";
import { AppError } from "../../errors";
import { appendAudit, type Actor } from "../evidence/audit-log";
import { confirmPlan } from "../plan/confirm";
import type { Engine } from "../deps";
import { lockEach } from "../locks";
import type { Tx } from "../sql";
import { describeScope, scopeDetails, scopeView, type ScopeColumns } from "./scope";
import { previewPurge } from "../plan/preview";
import { orgHoldInForce } from "../policy/holds";

type Admin = Exclude<Actor, "system">;

/** What a request covers, said explicitly: never inferred from a missing member. */
export type ErasureScopeInput = { kind: "ORGANIZATION" } | { kind: "MEMBER"; memberId: number };

/**
 * Refuses a request that repeats one still open (pending, approved and
 * running, or incomplete) for the same org and scope: a second admin would
 * otherwise be asked to approve the same erasure twice. Requests of an org
 * queue on a lock of their own for the transaction, so two made at once
 * cannot both pass.
 */
async function refuseIfOpen(tx: Tx, orgId: number, scope: ErasureScopeInput) {
  await lockEach(tx, "erasureRequest", [orgId]);
  const open = await tx.erasureRequest.findFirst({
    where: {
      orgId,
      scope: scope.kind,
      scopeMemberId: scope.kind === "MEMBER" ? scope.memberId : null,
      status: { in: ["PENDING", "APPROVED", "INCOMPLETE"] },
    },
    orderBy: { id: "asc" },
  });
  if (open)
    throw new AppError(
      "CONFLICT",
      `Erasure request #${open.id} (${describeScope(scopeView(open))}) is already open (${open.status.toLowerCase()}): a second admin approves or rejects that one; nothing new was requested.`,
    );
}

/**
 * One admin asks to erase all of an org's artifacts, or one member's. The
 * scope is stored as requested and never changes (a trigger refuses it).
 */
export async function requestErasure(
  db: Db,
  input: { actor: Admin; orgId: number; scope: ErasureScopeInput; reason: string },
) {
  const reason = input.reason.trim();
  if (reason.length < 3)
    throw new AppError("BAD_INPUT", "An erasure request needs a reason (at least 3 characters).");
  const org = await db.organization.findUnique({
    where: { id: input.orgId },
    select: { id: true },
  });
  if (!org) throw new AppError("NOT_FOUND", `No organization ${input.orgId}.`);
  let member: { id: number; externalId: string } | null = null;
  if (input.scope.kind === "MEMBER") {
    const found = await db.member.findUnique({
      where: { id: input.scope.memberId },
      select: { id: true, orgId: true, externalId: true },
    });
    if (!found || found.orgId !== org.id) {
      throw new AppError(
        "NOT_FOUND",
        `No member ${input.scope.memberId} in organization ${org.id}.`,
      );
    }
    member = found;
  }
  return db.$transaction(async (tx) => {
    await refuseIfOpen(tx, org.id, input.scope);
    const request = await tx.erasureRequest.create({
      data: {
        orgId: org.id,
        scope: input.scope.kind,
        scopeMemberId: member?.id ?? null,
        scopeMemberExternalId: member?.externalId ?? null,
        memberId: member?.id ?? null,
        reason,
        requestedById: input.actor.id,
      },
    });
    await appendAudit(tx, {
      actor: input.actor,
      action: "erasure.requested",
      orgId: org.id,
      target: `erasure:${request.id}`,
      details: scopeDetails(request),
    });
    return request;
  });
}

/**
 * A member request whose member the governed SaaS deleted cannot be
 * carried out: its artifacts lost their link to the member with it, so
 * nothing says any more which ones were theirs.
 */
function refuseIfMemberGone(request: ScopeColumns & { id: number }) {
  const view = scopeView(request);
  if (view.kind === "MEMBER" && !view.exists) {
    throw new AppError(
      "PRECONDITION",
      `Erasure request #${request.id} is for ${describeScope(view)}: the member was deleted after the request was made, and its artifacts no longer say whose they were. Nothing was deleted. Reject this request; if the whole organization must be erased, request that instead.`,
    );
  }
}

/**
 * A legal hold on the org stops every purge, GDPR erasure included, until it
 * is released (PRODUCT.md): an erasure is neither previewed nor approved
 * meanwhile, rather than run to erase nothing.
 */
async function refuseIfOrgHeld(db: Db, request: { id: number; orgId: number; status: string }) {
  const hold = await orgHoldInForce(db, request.orgId);
  if (hold) {
    throw new AppError(
      "PRECONDITION",
      `${hold.org.name} is under legal hold #${hold.id}: a hold stops every purge, GDPR erasure included, until it is released. Nothing was deleted; erasure request #${request.id} stays ${request.status.toLowerCase()}. Preview it again once the hold is released.`,
    );
  }
}

/** A request a second admin may still act on: pending, or incomplete after a run. */
async function openRequest(db: Db, requestId: number, actor: Admin) {
  const request = await db.erasureRequest.findUnique({ where: { id: requestId } });
  if (!request) throw new AppError("NOT_FOUND", `No erasure request ${requestId}.`);
  if (request.status !== "PENDING" && request.status !== "INCOMPLETE")
    throw new AppError(
      "CONFLICT",
      `Erasure request #${requestId} is already ${request.status.toLowerCase()}.`,
    );
  if (request.requestedById === actor.id) {
    throw new AppError(
      "FORBIDDEN",
      "A second admin must decide on this erasure: you requested it.",
    );
  }
  const since = await adminSince(db, actor.id);
  if (since > request.requestedAt)
    throw new AppError(
      "FORBIDDEN",
      `A second admin who already held the role when erasure #${request.id} was requested (${request.requestedAt.toISOString()}) must decide: you are an admin since ${since.toISOString()}.`,
    );
  return request;
}

/**
 * Since when the user holds the ADMIN role: their latest promotion to it,
 * else their account's creation. An admin made after a request cannot be
 * its second pair of eyes: the requester could otherwise create one and
 * approve their own erasure through it.
 */
async function adminSince(db: Db, userId: number) {
  const promoted = await db.auditEntry.findFirst({
    where: {
      action: "user.role_changed",
      target: `user:${userId}`,
      details: { path: ["to"], equals: "ADMIN" },
    },
    orderBy: { id: "desc" },
    select: { at: true },
  });
  if (promoted) return promoted.at;
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { createdAt: true },
  });
  return user.createdAt;
}

/** The preview the approving admin looks at: everything that will go. */
export async function previewErasure(engine: Engine, input: { actor: Admin; requestId: number }) {
  const request = await openRequest(engine.db, input.requestId, input.actor);
  refuseIfMemberGone(request);
  await refuseIfOrgHeld(engine.db, request);
  return previewPurge(engine, {
    scope: { orgIds: [request.orgId], categories: ["ARTIFACTS"] },
    trigger: "ERASURE",
    actor: input.actor,
    erasure: { id: request.id, orgId: request.orgId, memberId: request.scopeMemberId },
  });
}

/** A different admin approves the previewed erasure: its run starts at once. */
export async function approveErasure(
  engine: Engine,
  input: { actor: Admin; requestId: number; planId: string },
) {
  const request = await openRequest(engine.db, input.requestId, input.actor);
  refuseIfMemberGone(request);
  await refuseIfOrgHeld(engine.db, request);
  const plan = await engine.db.purgePlan.findUnique({
    where: { id: input.planId },
    include: { run: { select: { id: true } } },
  });
  if (!plan || plan.erasureId !== request.id) {
    throw new AppError(
      "BAD_INPUT",
      `Plan ${input.planId} is not a preview of erasure #${request.id}: preview it first.`,
    );
  }
  if (plan.run) {
    throw new AppError(
      "CONFLICT",
      `Preview ${plan.id} was already approved and run (run ${plan.run.id}): preview erasure #${request.id} again.`,
    );
  }
  // The approval is the second confirmation an erasure needs; the run's
  // transaction records it (recordErasureApproval).
  return confirmPlan(engine, { planId: plan.id, actor: input.actor, approvesErasure: true });
}

export async function rejectErasure(db: Db, input: { actor: Admin; requestId: number }) {
  const request = await openRequest(db, input.requestId, input.actor);
  return db.$transaction(async (tx) => {
    const rejected = await tx.erasureRequest.update({
      where: { id: request.id },
      data: { status: "REJECTED", decidedById: input.actor.id, decidedAt: new Date() },
    });
    await appendAudit(tx, {
      actor: input.actor,
      action: "erasure.rejected",
      orgId: request.orgId,
      target: `erasure:${request.id}`,
      details: scopeDetails(request),
    });
    return rejected;
  });
}
