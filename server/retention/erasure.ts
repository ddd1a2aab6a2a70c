import type { Db } from "../db";
import { AppError } from "../errors";
import { appendAudit, type Actor } from "./audit";
import { confirmPlan } from "./confirm";
import type { Engine } from "./engine";
import { previewPurge } from "./preview";

type Admin = Exclude<Actor, "system">;

/** One admin asks to erase all of an org's artifacts, or one member's. */
export async function requestErasure(
  db: Db,
  input: { actor: Admin; orgId: number; memberId?: number | null; reason: string },
) {
  const reason = input.reason.trim();
  if (reason.length < 3)
    throw new AppError("BAD_INPUT", "An erasure request needs a reason (at least 3 characters).");
  const org = await db.organization.findUnique({
    where: { id: input.orgId },
    select: { id: true },
  });
  if (!org) throw new AppError("NOT_FOUND", `No organization ${input.orgId}.`);
  if (input.memberId != null) {
    const member = await db.member.findUnique({
      where: { id: input.memberId },
      select: { orgId: true },
    });
    if (!member || member.orgId !== org.id) {
      throw new AppError("NOT_FOUND", `No member ${input.memberId} in organization ${org.id}.`);
    }
  }
  return db.$transaction(async (tx) => {
    const request = await tx.erasureRequest.create({
      data: {
        orgId: org.id,
        memberId: input.memberId ?? null,
        reason,
        requestedById: input.actor.id,
      },
    });
    await appendAudit(tx, {
      actor: input.actor,
      action: "erasure.requested",
      orgId: org.id,
      target: `erasure:${request.id}`,
      details: { memberId: request.memberId },
    });
    return request;
  });
}

async function pendingRequest(db: Db, requestId: number, actor: Admin) {
  const request = await db.erasureRequest.findUnique({ where: { id: requestId } });
  if (!request) throw new AppError("NOT_FOUND", `No erasure request ${requestId}.`);
  if (request.status !== "PENDING")
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
  return request;
}

/** The preview the approving admin looks at: everything that will go. */
export async function previewErasure(engine: Engine, input: { actor: Admin; requestId: number }) {
  const request = await pendingRequest(engine.db, input.requestId, input.actor);
  return previewPurge(engine, {
    scope: { orgIds: [request.orgId], categories: ["ARTIFACTS"] },
    trigger: "ERASURE",
    actor: input.actor,
    erasure: { id: request.id, orgId: request.orgId, memberId: request.memberId },
  });
}

/** A different admin approves the previewed erasure: its run starts at once. */
export async function approveErasure(
  engine: Engine,
  input: { actor: Admin; requestId: number; planId: string },
) {
  const request = await pendingRequest(engine.db, input.requestId, input.actor);
  const plan = await engine.db.purgePlan.findUnique({ where: { id: input.planId } });
  if (!plan || plan.erasureId !== request.id) {
    throw new AppError(
      "BAD_INPUT",
      `Plan ${input.planId} is not a preview of erasure #${request.id}: preview it first.`,
    );
  }
  // The approval is the second confirmation an erasure needs; the run's
  // transaction records it (recordErasureApproval).
  return confirmPlan(engine, { planId: plan.id, actor: input.actor, approvesErasure: true });
}

export async function rejectErasure(db: Db, input: { actor: Admin; requestId: number }) {
  const request = await pendingRequest(db, input.requestId, input.actor);
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
    });
    return rejected;
  });
}
