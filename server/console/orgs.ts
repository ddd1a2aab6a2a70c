import type { Db } from "../db";
import type { Plan } from "../generated/prisma/enums";
import { snapshotTotals } from "../retention/evidence/storage-snapshots";

/** Orgs with their plan, legal-hold state and what they stored at the latest daily snapshot. */
export async function listOrgs(
  db: Db,
  filter: { id?: number; search?: string; plan?: Plan; offset: number; limit: number },
) {
  const where = {
    id: filter.id,
    plan: filter.plan,
    ...(filter.search
      ? {
          OR: [
            { name: { contains: filter.search, mode: "insensitive" as const } },
            { slug: { contains: filter.search.toLowerCase() } },
          ],
        }
      : {}),
  };
  const [total, orgs] = await Promise.all([
    db.organization.count({ where }),
    db.organization.findMany({
      where,
      orderBy: { name: "asc" },
      skip: filter.offset,
      take: filter.limit,
      include: {
        legalHolds: { where: { scope: "ORG", releasedAt: null }, select: { id: true } },
      },
    }),
  ]);
  const totals = await snapshotTotals(
    db,
    orgs.map((o) => o.id),
  );
  return {
    total,
    orgs: orgs.map((o) => {
      const mine = totals.filter((t) => t.orgId === o.id);
      return {
        id: o.id,
        name: o.name,
        slug: o.slug,
        plan: o.plan,
        onHold: o.legalHolds.length > 0,
        items: mine.reduce((sum, t) => sum + t.items, 0n),
        bytes: mine.reduce((sum, t) => sum + t.bytes, 0n),
      };
    }),
  };
}
