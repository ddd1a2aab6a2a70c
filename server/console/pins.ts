import type { Db } from "../db";
import { peopleNames } from "../retention/evidence/actor-label";

export type PinFilter = {
  orgId?: number;
  incidentId?: number;
  artifactId?: number;
  /** In force at `now` (not removed, date ahead), or every pin ever placed. */
  inForce: boolean;
};

/** Pins of an org, an incident or an artifact, latest date first, with who placed and removed each. */
export async function listPins(db: Db, filter: PinFilter, now: Date) {
  const pins = await db.pin.findMany({
    where: {
      orgId: filter.orgId,
      incidentId: filter.incidentId,
      artifactId: filter.artifactId,
      ...(filter.inForce ? { removedAt: null, pinnedUntil: { gt: now } } : {}),
    },
    include: { org: { select: { name: true } } },
    orderBy: [{ pinnedUntil: "desc" }, { id: "desc" }],
    take: 500,
  });
  const name = await peopleNames(
    db,
    pins.flatMap((p) => [p.placedById, p.removedById ?? p.placedById]),
  );
  return pins.map((p) => ({
    id: p.id,
    scope: p.scope,
    orgId: p.orgId,
    orgName: p.org.name,
    incidentId: p.incidentId,
    artifactId: p.artifactId,
    pinnedUntil: p.pinnedUntil,
    reason: p.reason,
    placedAt: p.placedAt,
    placedBy: name(p.placedById),
    removedAt: p.removedAt,
    removedBy: p.removedById ? name(p.removedById) : null,
    inForce: p.removedAt === null && p.pinnedUntil.getTime() > now.getTime(),
  }));
}
