import type { Db } from "../db";
import type { HoldScope } from "../generated/prisma/enums";
import { peopleNames } from "../retention/evidence/actor-label";

/** Legal holds, active or released, newest first, with who placed and released each. */
export async function listHolds(
  db: Db,
  filter: { active: boolean; scope?: HoldScope; orgId?: number },
) {
  const holds = await db.legalHold.findMany({
    where: {
      releasedAt: filter.active ? null : { not: null },
      scope: filter.scope,
      orgId: filter.orgId,
    },
    include: { org: { select: { name: true } } },
    orderBy: { placedAt: "desc" },
    take: 500,
  });
  const name = await peopleNames(
    db,
    holds.flatMap((h) => [h.placedById, h.releasedById ?? h.placedById]),
  );
  return holds.map((h) => ({
    id: h.id,
    scope: h.scope,
    orgId: h.orgId,
    orgName: h.org.name,
    incidentId: h.incidentId,
    artifactId: h.artifactId,
    reason: h.reason,
    placedAt: h.placedAt,
    placedBy: name(h.placedById),
    releasedAt: h.releasedAt,
    releasedBy: h.releasedById ? name(h.releasedById) : null,
  }));
}
