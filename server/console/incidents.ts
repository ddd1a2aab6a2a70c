import type { Db } from "../db";
import { AppError } from "../errors";
import type { IncidentStatus, Plan } from "../generated/prisma/enums";
import { effectiveWindow, type PolicyEnv } from "../retention/policy/effective-window";
import { loadOverrides } from "../retention/policy/org-windows";
import { peopleNames } from "../retention/evidence/actor-label";
import { restorableAt } from "../retention/restore/scope";
import { sql } from "../retention/sql";
import { purgeNotes } from "./purge-notes";

export type IncidentFilter = {
  status?: "OPEN" | "CLOSED" | IncidentStatus;
  orgId?: number;
  payload?: "PRESENT" | "PURGED";
  search?: string;
  offset: number;
  limit: number;
};

/** Incidents newest first, with their org, environment and payload state. */
export async function listIncidents(db: Db, filter: IncidentFilter) {
  const where = {
    orgId: filter.orgId,
    status:
      filter.status === "OPEN"
        ? { not: "CLOSED" as const }
        : filter.status === "CLOSED"
          ? ("CLOSED" as const)
          : filter.status,
    payloadPurgedAt:
      filter.payload === "PURGED" ? { not: null } : filter.payload === "PRESENT" ? null : undefined,
    ...(filter.search
      ? {
          OR: [
            { title: { contains: filter.search, mode: "insensitive" as const } },
            { org: { name: { contains: filter.search, mode: "insensitive" as const } } },
          ],
        }
      : {}),
  };
  const [total, incidents] = await Promise.all([
    db.incident.count({ where }),
    db.incident.findMany({
      where,
      orderBy: [{ detectedAt: "desc" }, { id: "desc" }],
      skip: filter.offset,
      take: filter.limit,
      include: {
        org: { select: { name: true, plan: true } },
        environment: { select: { name: true } },
      },
    }),
  ]);
  return {
    total,
    incidents: incidents.map((i) => ({
      id: i.id,
      title: i.title,
      status: i.status,
      orgId: i.orgId,
      orgName: i.org.name,
      plan: i.org.plan,
      environment: i.environment.name,
      detectedAt: i.detectedAt,
      closedAt: i.closedAt,
      payloadPurgedAt: i.payloadPurgedAt,
    })),
  };
}

/**
 * One incident, whether or not its payload still exists: the row, its
 * lifecycle, approvals left and the purge note of those purged, and holds
 * always load; the drift summary only while retained, and after purge the
 * date and the policy that purged it, and while its restore window lasts,
 * until when an admin can restore it and from which run.
 */
export async function incidentDetail(db: Db, policy: PolicyEnv, id: number, now: Date) {
  const incident = await db.incident.findUnique({
    where: { id },
    include: {
      org: { select: { id: true, name: true, plan: true } },
      environment: { select: { id: true, name: true } },
      payload: true,
      approvals: { orderBy: { createdAt: "asc" } },
      legalHolds: { where: { releasedAt: null }, orderBy: { placedAt: "desc" } },
    },
  });
  if (!incident) throw new AppError("NOT_FOUND", `No incident ${id}.`);
  const orgHold = await db.legalHold.findFirst({
    where: { orgId: incident.orgId, scope: "ORG", releasedAt: null },
  });
  const holds = [...incident.legalHolds, ...(orgHold ? [orgHold] : [])];
  const placer = await peopleNames(
    db,
    holds.map((h) => h.placedById),
  );
  const overrides = await loadOverrides(db, [incident.orgId]);
  const approvalsPurged = await purgeNotes(db, "APPROVALS", [incident.id]);
  const kept = incident.payloadPurgedAt ? await payloadKept(db, incident.id, now) : null;
  const window = effectiveWindow(
    incident.org.plan as Plan,
    "INCIDENT_PAYLOADS",
    policy,
    overrides(incident.orgId, "INCIDENT_PAYLOADS"),
  );
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    org: incident.org,
    environment: incident.environment,
    timeline: [
      { step: "DETECTED" as const, at: incident.detectedAt },
      { step: "ACKNOWLEDGED" as const, at: incident.acknowledgedAt },
      { step: "STABILIZED" as const, at: incident.stabilizedAt },
      { step: "RECONCILED" as const, at: incident.reconciledAt },
      { step: "CLOSED" as const, at: incident.closedAt },
    ],
    approvals: incident.approvals.map((a) => ({
      id: a.id,
      action: a.action,
      status: a.status,
      requestedBy: a.requestedBy,
      decidedBy: a.decidedBy,
      decidedAt: a.decidedAt,
      note: a.note,
      createdAt: a.createdAt,
    })),
    approvalsPurged: approvalsPurged.get(incident.id) ?? null,
    driftSummary: incident.payload?.driftSummary ?? null,
    payloadPurgedAt: incident.payloadPurgedAt,
    restorable: kept ? { ...kept, bytes: BigInt(kept.bytes) } : null,
    retention: window
      ? { plan: incident.org.plan, days: window.days, source: window.source }
      : null,
    holds: holds.map((h) => ({
      id: h.id,
      scope: h.scope,
      reason: h.reason,
      placedAt: h.placedAt,
      placedBy: placer(h.placedById),
    })),
    /** Purge-now is offered only for a closed incident with a payload and no hold. */
    purgeable: incident.status === "CLOSED" && incident.payload !== null && holds.length === 0,
  };
}

/** The incident's purged payload while it is restorable (the core's rule), with its run. */
async function payloadKept(db: Db, incidentId: number, now: Date) {
  const [kept] = await db.$queryRaw<{ until: Date; runId: string; bytes: bigint }[]>(sql`
    SELECT k.restorable_until AS until, k.run_id AS "runId", k.bytes FROM kept_items k
    WHERE k.category = 'INCIDENT_PAYLOADS' AND k.item_id = ${incidentId} AND ${restorableAt(now)}
    ORDER BY k.kept_at DESC LIMIT 1`);
  return kept ?? null;
}
