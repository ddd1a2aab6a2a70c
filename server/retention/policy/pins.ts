import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { RetentionCategory } from "../../generated/prisma/enums";
import { appendAudit, type Actor } from "../evidence/audit-log";
import { holdPairs, markDirty } from "../forecast/dirty-pairs";
import { sql, type Tx } from "../sql";
import { MAX_WINDOW_DAYS } from "./defaults";
import { addDays, overrideBounds, type PolicyEnv } from "./effective-window";

export type PinTarget =
  { scope: "ARTIFACT"; artifactId: number } | { scope: "INCIDENT"; incidentId: number };

type Admin = Exclude<Actor, "system">;

const DAY_MS = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A pin's date as the moment it lapses: the start of that UTC day, so the
 * first run on that day purges what it kept. Only a real calendar day.
 */
export function pinMoment(date: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : null;
  if (!at || Number.isNaN(at.getTime()) || day(at) !== date)
    throw new AppError("BAD_INPUT", `"${date}" is not a date: give the pin's date as YYYY-MM-DD.`, {
      fieldErrors: { until: ["must be a date as YYYY-MM-DD"] },
    });
  return at;
}

type Covered = {
  orgId: number;
  plan: Parameters<typeof overrideBounds>[0];
  category: RetentionCategory;
  /** What ages the item (an open incident: not yet, so from now). */
  agedAt: Date;
  what: string;
};

/** The item a pin would cover, or a 4xx saying it is not there to pin. */
async function covered(tx: Tx, target: PinTarget, now: Date): Promise<Covered> {
  if (target.scope === "ARTIFACT") {
    const a = await tx.artifact.findUnique({
      where: { id: target.artifactId },
      select: { orgId: true, createdAt: true, org: { select: { plan: true } } },
    });
    if (!a)
      throw new AppError(
        "NOT_FOUND",
        `No artifact ${target.artifactId}: it may already be purged. Nothing was pinned.`,
      );
    const what = `artifact ${target.artifactId}`;
    return { orgId: a.orgId, plan: a.org.plan, category: "ARTIFACTS", agedAt: a.createdAt, what };
  }
  const i = await tx.incident.findUnique({
    where: { id: target.incidentId },
    select: {
      orgId: true,
      closedAt: true,
      payloadPurgedAt: true,
      org: { select: { plan: true } },
    },
  });
  if (!i) throw new AppError("NOT_FOUND", `No incident ${target.incidentId}. Nothing was pinned.`);
  if (i.payloadPurgedAt)
    throw new AppError(
      "CONFLICT",
      `Incident ${target.incidentId}'s payload was already purged on ${day(i.payloadPurgedAt)}: there is nothing left to pin.`,
    );
  const what = `incident ${target.incidentId}`;
  const agedAt = i.closedAt ?? now;
  return { orgId: i.orgId, plan: i.org.plan, category: "INCIDENT_PAYLOADS", agedAt, what };
}

/**
 * The latest date a pin on this item may keep it to: its aging timestamp
 * plus the longest window the plan lets an org set for its category; where
 * the plan keeps it forever, seven years from today.
 */
export function pinCeiling(item: Covered, env: PolicyEnv, now: Date): Date {
  const bounds = overrideBounds(item.plan, item.category, env);
  if (!bounds)
    throw new AppError(
      "PRECONDITION",
      `The ${item.plan} plan keeps no such data: ${item.what} is never purged, so a pin would keep nothing.`,
    );
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  return bounds.ceiling === null
    ? addDays(today, MAX_WINDOW_DAYS)
    : addDays(item.agedAt, bounds.ceiling);
}

/** The pin's date, checked against today and the ceiling; a 4xx naming what to fix. */
function checkedDate(item: Covered, until: string, env: PolicyEnv, now: Date): Date {
  const at = pinMoment(until);
  if (at.getTime() <= now.getTime())
    throw new AppError(
      "BAD_INPUT",
      `${until} is not in the future: a pin keeps an item until a later date (from ${day(addDays(now, 1))}).`,
      { fieldErrors: { until: ["must be after today"] } },
    );
  const ceiling = pinCeiling(item, env, now);
  if (at.getTime() > ceiling.getTime())
    throw new AppError(
      "BAD_INPUT",
      `${until} is past the ceiling of ${item.what}: the ${item.plan} plan keeps it at most until ${day(ceiling)}. Choose that date or an earlier one.`,
      { fieldErrors: { until: [`must be on or before ${day(ceiling)}`] } },
    );
  return at;
}

function checkedReason(reason: string) {
  const trimmed = reason.trim();
  if (trimmed.length < 3)
    throw new AppError("BAD_INPUT", "A pin needs a reason (at least 3 characters).", {
      fieldErrors: { reason: ["at least 3 characters"] },
    });
  return trimmed;
}

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
        `${item.what} is already pinned until ${day(existing.pinnedUntil)} (pin #${existing.id}): change that pin's date instead.`,
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
        until: day(pinnedUntil),
        reasonLength: reason.length,
      },
    });
    return pin;
  });
}

/** A pin still in force, or a 4xx. */
async function pinInForce(tx: Tx, pinId: number, now: Date) {
  const pin = await tx.pin.findUnique({ where: { id: pinId } });
  if (!pin) throw new AppError("NOT_FOUND", `No pin ${pinId}.`);
  if (pin.removedAt) throw new AppError("CONFLICT", `Pin #${pin.id} was already removed.`);
  if (pin.pinnedUntil.getTime() <= now.getTime())
    throw new AppError(
      "CONFLICT",
      `Pin #${pin.id} lapsed on ${day(pin.pinnedUntil)}: place a new pin instead.`,
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
    await lockOrg(tx, pin.orgId);
    const item = await covered(tx, target, input.now);
    const pinnedUntil = checkedDate(item, input.until, input.env, input.now);
    const changed = await tx.pin.update({ where: { id: pin.id }, data: { pinnedUntil } });
    await markDirty(tx, pairsOf(pin));
    await appendAudit(tx, {
      actor: input.actor,
      action: "pin.changed",
      orgId: pin.orgId,
      target: `pin:${pin.id}`,
      details: { from: day(pin.pinnedUntil), to: day(pinnedUntil) },
    });
    return changed;
  });
}

/** Removes a pin before its date: what it kept is under policy again. Audited. */
export async function removePin(db: Db, input: { actor: Admin; pinId: number; now: Date }) {
  return db.$transaction(async (tx) => {
    const pin = await pinInForce(tx, input.pinId, input.now);
    await lockOrg(tx, pin.orgId);
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
      details: { until: day(pin.pinnedUntil), placedById: pin.placedById },
    });
    return removed;
  });
}
