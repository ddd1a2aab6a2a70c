import { isoDay } from "../../calendar-day";
import { AppError } from "../../errors";
import type { RetentionCategory } from "../../generated/prisma/enums";
import type { Tx } from "../sql";
import { MAX_WINDOW_DAYS } from "./defaults";
import { addDays, overrideBounds, type PolicyEnv } from "./effective-window";

export type PinTarget =
  { scope: "ARTIFACT"; artifactId: number } | { scope: "INCIDENT"; incidentId: number };

const DAY_MS = 86_400_000;

/**
 * A pin's date as the moment it lapses: the start of that UTC day, so the
 * first run on that day purges what it kept. Only a real calendar day.
 */
function pinMoment(date: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : null;
  if (!at || Number.isNaN(at.getTime()) || isoDay(at) !== date)
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
export async function covered(tx: Tx, target: PinTarget, now: Date): Promise<Covered> {
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
      `Incident ${target.incidentId}'s payload was already purged on ${isoDay(i.payloadPurgedAt)}: there is nothing left to pin.`,
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
function pinCeiling(item: Covered, env: PolicyEnv, now: Date): Date {
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
export function checkedDate(item: Covered, until: string, env: PolicyEnv, now: Date): Date {
  const at = pinMoment(until);
  if (at.getTime() <= now.getTime())
    throw new AppError(
      "BAD_INPUT",
      `${until} is not in the future: a pin keeps an item until a later date (from ${isoDay(addDays(now, 1))}).`,
      { fieldErrors: { until: ["must be after today"] } },
    );
  const ceiling = pinCeiling(item, env, now);
  // Past the ceiling already (an item restored after its purge, say): no date would do.
  if (ceiling.getTime() <= now.getTime())
    throw new AppError(
      "BAD_INPUT",
      `A pin cannot keep ${item.what}: the ${item.plan} plan keeps it at most until ${isoDay(ceiling)}, which has passed, and no override may go past it either: only a legal hold keeps it.`,
      { fieldErrors: { until: [`${item.what} is past the plan's ceiling: no pin date keeps it`] } },
    );
  if (at.getTime() > ceiling.getTime())
    throw new AppError(
      "BAD_INPUT",
      `${until} is past the ceiling of ${item.what}: the ${item.plan} plan keeps it at most until ${isoDay(ceiling)}. Choose that date or an earlier one.`,
      { fieldErrors: { until: [`must be on or before ${isoDay(ceiling)}`] } },
    );
  return at;
}

export function checkedReason(reason: string) {
  const trimmed = reason.trim();
  if (trimmed.length < 3)
    throw new AppError("BAD_INPUT", "A pin needs a reason (at least 3 characters).", {
      fieldErrors: { reason: ["at least 3 characters"] },
    });
  return trimmed;
}
