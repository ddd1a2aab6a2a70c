import type { Db } from "../db";
import { scopeView } from "../retention/erasure/scope";
import { peopleNames } from "../retention/evidence/actor-label";

/**
 * The erasure requests as the console lists them, newest first: the scope
 * exactly as requested, why the latest run left one incomplete, and the
 * legal hold that keeps an open one from being previewed.
 */
export async function listErasures(db: Db, limit = 200) {
  const requests = await db.erasureRequest.findMany({
    include: { org: { select: { name: true, plan: true } } },
    orderBy: { requestedAt: "desc" },
    take: limit,
  });
  const open = requests.filter((r) => r.status === "PENDING" || r.status === "INCOMPLETE");
  const holds = await db.legalHold.findMany({
    where: {
      orgId: { in: [...new Set(open.map((r) => r.orgId))] },
      scope: "ORG",
      releasedAt: null,
    },
    select: { id: true, orgId: true },
    orderBy: { id: "asc" },
  });
  const holdOf = new Map<number, number>();
  for (const h of holds) if (!holdOf.has(h.orgId)) holdOf.set(h.orgId, h.id);
  const name = await peopleNames(
    db,
    requests.flatMap((r) => (r.decidedById ? [r.requestedById, r.decidedById] : [r.requestedById])),
  );
  return requests.map((r) => ({
    id: r.id,
    orgId: r.orgId,
    orgName: r.org.name,
    plan: r.org.plan,
    scope: scopeView(r),
    reason: r.reason,
    status: r.status,
    incompleteReason: r.incompleteReason,
    /** An active legal hold on the org of an open request: nothing is erased until it is released. */
    orgHoldId: open.includes(r) ? (holdOf.get(r.orgId) ?? null) : null,
    requestedAt: r.requestedAt,
    requestedById: r.requestedById,
    requestedBy: name(r.requestedById),
    decidedBy: r.decidedById ? name(r.decidedById) : null,
    decidedAt: r.decidedAt,
    runId: r.runId,
  }));
}

/** The members of an org an erasure can name, by their external id only (no personal data). */
export function orgMembers(db: Db, orgId: number) {
  return db.member.findMany({
    where: { orgId },
    select: { id: true, externalId: true },
    orderBy: { id: "asc" },
    take: 500,
  });
}
