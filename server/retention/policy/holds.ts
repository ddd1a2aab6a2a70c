import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { HoldScope } from "../../generated/prisma/enums";
import { appendAudit, type Actor } from "../evidence/audit-log";
import { sql } from "../sql";
import { holdPairs, markDirty } from "../forecast/dirty-pairs";

export type HoldTarget =
  | { scope: "ORG"; orgId: number }
  | { scope: "INCIDENT"; incidentId: number }
  | { scope: "ARTIFACT"; artifactId: number };

/** The org's oldest legal hold on the whole organization still in force, with the org's name. */
export function orgHoldInForce(db: Db, orgId: number) {
  return db.legalHold.findFirst({
    where: { orgId, scope: "ORG", releasedAt: null },
    select: { id: true, org: { select: { name: true } } },
    orderBy: { id: "asc" },
  });
}

async function orgOf(db: Db, target: HoldTarget): Promise<number> {
  if (target.scope === "ORG") {
    const org = await db.organization.findUnique({
      where: { id: target.orgId },
      select: { id: true },
    });
    if (!org) throw new AppError("NOT_FOUND", `No organization ${target.orgId}.`);
    return org.id;
  }
  if (target.scope === "INCIDENT") {
    const incident = await db.incident.findUnique({
      where: { id: target.incidentId },
      select: { orgId: true },
    });
    if (!incident) throw new AppError("NOT_FOUND", `No incident ${target.incidentId}.`);
    return incident.orgId;
  }
  // An artifact purged into its restore window can still be held: the hold
  // keeps it from its final deletion, and a restore brings it back held.
  const artifact =
    (await db.artifact.findUnique({ where: { id: target.artifactId }, select: { orgId: true } })) ??
    (await db.keptItem.findFirst({
      where: { category: "ARTIFACTS", itemId: target.artifactId, restoredAt: null },
      select: { orgId: true },
    }));
  if (!artifact)
    throw new AppError(
      "NOT_FOUND",
      `No artifact ${target.artifactId}, nor in a restore window: it may be deleted for good.`,
    );
  return artifact.orgId;
}

/**
 * The legal-hold gate, an advisory lock: placing a hold takes it
 * exclusively, a sweep's batch shared. A sweep's batch spans a thousand
 * orgs and locks none of their rows, so this is how a hold placed while it
 * runs waits for it to commit, and how every batch after sees the hold.
 */
export const HOLDS_GATE_KEY = "lethe:legal-holds";
const HOLDS_GATE = sql`hashtext(${HOLDS_GATE_KEY})`;
export const HOLDS_GATE_SHARED = sql`pg_advisory_xact_lock_shared(${HOLDS_GATE})`;

/** How long placing a hold waits for the batches in flight (Prisma's default is 5 s). */
const HOLD_WAIT = { maxWait: 10_000, timeout: 60_000 };

/**
 * Places a legal hold. The org row is locked first, then the gate: a purge
 * batch of that org in flight (a task's or a sweep's) finishes before the
 * hold exists, and every later batch sees it.
 */
export async function placeHold(
  db: Db,
  input: { actor: Exclude<Actor, "system">; target: HoldTarget; reason: string },
) {
  const reason = input.reason.trim();
  if (reason.length < 3)
    throw new AppError("BAD_INPUT", "A legal hold needs a reason (at least 3 characters).");
  const orgId = await orgOf(db, input.target);
  const t = input.target;
  return db.$transaction(async (tx) => {
    await tx.$queryRaw(sql`SELECT id FROM organizations WHERE id = ${orgId} FOR UPDATE`);
    await tx.$executeRaw(sql`SELECT pg_advisory_xact_lock(${HOLDS_GATE})`);
    const existing = await tx.legalHold.findFirst({
      where: {
        scope: t.scope,
        orgId,
        incidentId: t.scope === "INCIDENT" ? t.incidentId : null,
        artifactId: t.scope === "ARTIFACT" ? t.artifactId : null,
        releasedAt: null,
      },
    });
    if (existing)
      throw new AppError(
        "CONFLICT",
        `Already under legal hold #${existing.id}; release it first to change the reason.`,
      );
    const hold = await tx.legalHold.create({
      data: {
        scope: t.scope as HoldScope,
        orgId,
        incidentId: t.scope === "INCIDENT" ? t.incidentId : null,
        artifactId: t.scope === "ARTIFACT" ? t.artifactId : null,
        reason,
        placedById: input.actor.id,
      },
    });
    await markDirty(tx, holdPairs(hold));
    await appendAudit(tx, {
      actor: input.actor,
      action: "hold.placed",
      orgId,
      target: `hold:${hold.id}`,
      details: {
        scope: hold.scope,
        incidentId: hold.incidentId,
        artifactId: hold.artifactId,
        reasonLength: reason.length,
      },
    });
    return hold;
    // It may wait for a final deletion's batch of objects, longer than a purge's.
  }, HOLD_WAIT);
}

/** Releases a hold: what it covered becomes eligible again under policy. */
export async function releaseHold(
  db: Db,
  input: { actor: Exclude<Actor, "system">; holdId: number; reason: string },
) {
  const hold = await db.legalHold.findUnique({ where: { id: input.holdId } });
  if (!hold) throw new AppError("NOT_FOUND", `No legal hold ${input.holdId}.`);
  if (hold.releasedAt)
    throw new AppError("CONFLICT", `Legal hold #${hold.id} was already released.`);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw(sql`SELECT id FROM organizations WHERE id = ${hold.orgId} FOR UPDATE`);
    const released = await tx.legalHold.update({
      where: { id: hold.id },
      data: { releasedAt: new Date(), releasedById: input.actor.id },
    });
    await markDirty(tx, holdPairs(hold));
    await appendAudit(tx, {
      actor: input.actor,
      action: "hold.released",
      orgId: hold.orgId,
      target: `hold:${hold.id}`,
      details: {
        scope: hold.scope,
        incidentId: hold.incidentId,
        artifactId: hold.artifactId,
        placedById: hold.placedById,
        reason: input.reason,
      },
    });
    return released;
  });
}
