import { isoDay } from "../../calendar-day";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { appendAudit, type Actor } from "../evidence/audit-log";
import { holdPairs, markDirty } from "../forecast/dirty-pairs";
import { sql, type Tx } from "../sql";
import { pinInForceAt } from "./pin-rules";
import type { PolicyEnv } from "./effective-window";
import { checkedDate, checkedReason, covered, type PinTarget } from "./pin-terms";

export type { PinTarget };

type Admin = Exclude<Actor, "system">;

/**
 * The org row, locked: a purge batch of that org in flight finishes before
 * the pin changes, and every later batch sees it.
 */
const lockOrg = (tx: Tx, orgId: number) =>
  tx.$queryRaw(sql`SELECT id FROM organizations WHERE id = ${orgId} FOR UPDATE`);

const pairsOf = (pin: {
  orgId: number;
  incidentId: number | null;
  artifactId: number | null;
  scope: "ARTIFACT" | "INCIDENT";
}) =>
  holdPairs({
    scope: pin.scope,
    orgId: pin.orgId,
    incidentId: pin.incidentId,
    artifactId: pin.artifactId,
  });

/** Pins an artifact or an incident until a date within its plan's ceiling, with a reason. Audited. */
export async function placePin(
  db: Db,
  input: {
    actor: Admin;
    target: PinTarget;
    until: string;
    reason: string;
    env: PolicyEnv;
    now: Date;
  },
) {
  const reason = checkedReason(input.reason);
  const t = input.target;
  return db.$transaction(async (tx) => {
    await lockOrg(tx, (await covered(tx, t, input.now)).orgId);
    // Again under the lock: a batch that held it may have purged the item.
    const item = await covered(tx, t, input.now);
    const pinnedUntil = checkedDate(item, input.until, input.env, input.now);
    const existing = await tx.pin.findFirst({
      where: {
        removedAt: null,
        pinnedUntil: { gt: input.now },
        ...(t.scope === "ARTIFACT" ? { artifactId: t.artifactId } : { incidentId: t.incidentId }),
      },
    });
    if (existing)
      throw new AppError(
        "CONFLICT",
        `${item.what} is already pinned until ${isoDay(existing.pinnedUntil)} (pin #${existing.id}): change that pin's date instead.`,
      );
    const pin = await tx.pin.create({
      data: {
        scope: t.scope,
        orgId: item.orgId,
        artifactId: t.scope === "ARTIFACT" ? t.artifactId : null,
        incidentId: t.scope === "INCIDENT" ? t.incidentId : null,
        pinnedUntil,
        reason,
        placedById: input.actor.id,
      },
    });
    await markDirty(tx, pairsOf(pin));
    await appendAudit(tx, {
      actor: input.actor,
      action: "pin.placed",
      orgId: pin.orgId,
      target: `pin:${pin.id}`,
      details: {
        scope: pin.scope,
        incidentId: pin.incidentId,
        artifactId: pin.artifactId,
        until: isoDay(pinnedUntil),
        reasonLength: reason.length,
      },
    });
    return pin;
  });
}

/**
 * A pin still in force, or a 4xx; read under its org's lock, so a batch
 * that was ending it (an erasure taking its artifact) has committed first.
 */
async function pinInForce(tx: Tx, pinId: number, now: Date) {
  const found = await tx.pin.findUnique({ where: { id: pinId }, select: { orgId: true } });
  if (found) await lockOrg(tx, found.orgId);
  const pin = await tx.pin.findUnique({ where: { id: pinId } });
  if (!pin) throw new AppError("NOT_FOUND", `No pin #${pinId} on any incident or artifact.`);
  if (pin.removedAt) throw new AppError("CONFLICT", `Pin #${pin.id} was already removed.`);
  if (pin.pinnedUntil.getTime() <= now.getTime())
    throw new AppError(
      "CONFLICT",
      `Pin #${pin.id} lapsed on ${isoDay(pin.pinnedUntil)}: place a new pin instead.`,
    );
  return pin;
}

/** Moves a pin's date, earlier or later, within the same ceiling. Audited. */
export async function changePin(
  db: Db,
  input: { actor: Admin; pinId: number; until: string; env: PolicyEnv; now: Date },
) {
  return db.$transaction(async (tx) => {
    const pin = await pinInForce(tx, input.pinId, input.now);
    const target: PinTarget =
      pin.scope === "ARTIFACT"
        ? { scope: "ARTIFACT", artifactId: pin.artifactId ?? 0 }
        : { scope: "INCIDENT", incidentId: pin.incidentId ?? 0 };
    const item = await covered(tx, target, input.now);
    const pinnedUntil = checkedDate(item, input.until, input.env, input.now);
    const changed = await tx.pin.update({ where: { id: pin.id }, data: { pinnedUntil } });
    await markDirty(tx, pairsOf(pin));
    await appendAudit(tx, {
      actor: input.actor,
      action: "pin.changed",
      orgId: pin.orgId,
      target: `pin:${pin.id}`,
      details: { from: isoDay(pin.pinnedUntil), to: isoDay(pinnedUntil) },
    });
    return changed;
  });
}

/** Removes a pin before its date: what it kept is under policy again. Audited. */
export async function removePin(db: Db, input: { actor: Admin; pinId: number; now: Date }) {
  return db.$transaction(async (tx) => {
    const pin = await pinInForce(tx, input.pinId, input.now);
    const removed = await tx.pin.update({
      where: { id: pin.id },
      data: { removedAt: input.now, removedById: input.actor.id },
    });
    await markDirty(tx, pairsOf(pin));
    await appendAudit(tx, {
      actor: input.actor,
      action: "pin.removed",
      orgId: pin.orgId,
      target: `pin:${pin.id}`,
      details: { until: isoDay(pin.pinnedUntil), placedById: pin.placedById },
    });
    return removed;
  });
}

/**
 * Ends the pins in force on artifacts a GDPR erasure's batch just deleted,
 * in that batch's transaction: an erasure takes pinned artifacts too (only
 * a legal hold keeps one), and a pin on an item that is gone keeps nothing.
 * Each is audited as ended by the erasure, not removed by anyone. The
 * batch holds the org's row shared, so no admin moves or removes these
 * pins meanwhile.
 */
export async function endErasedPins(
  tx: Tx,
  erased: { erasureId: number; runId: string; artifactIds: number[]; now: Date },
) {
  if (erased.artifactIds.length === 0) return;
  const ended = await tx.$queryRaw<
    { id: number; org_id: number; artifact_id: number; pinned_until: Date }[]
  >(sql`
    UPDATE pins p SET removed_at = ${erased.now}
    WHERE p.artifact_id = ANY(${erased.artifactIds}::int[]) AND ${pinInForceAt(erased.now)}
    RETURNING p.id, p.org_id, p.artifact_id, p.pinned_until`);
  for (const pin of ended.sort((a, b) => a.id - b.id))
    await appendAudit(tx, {
      actor: "system",
      action: "pin.ended",
      orgId: pin.org_id,
      target: `pin:${pin.id}`,
      details: {
        scope: "ARTIFACT",
        artifactId: pin.artifact_id,
        until: isoDay(pin.pinned_until),
        erasure: erased.erasureId,
        run: erased.runId,
      },
    });
}
