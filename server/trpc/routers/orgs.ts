import { z } from "zod";
import { Plan } from "../../generated/prisma/enums";
import { snapshotTotals } from "../../retention/evidence/storage-snapshots";
import { router, viewerProcedure } from "../init";
import { paging } from "../schemas";

const listInput = z.object({
  search: z.string().trim().max(100).optional(),
  plan: z.enum(Plan).optional(),
  ...paging,
});

export const orgsRouter = router({
  /** Orgs with their plan, legal-hold state and what they stored at the latest daily snapshot. */
  list: viewerProcedure.input(listInput).query(async ({ ctx, input }) => {
    const where = {
      plan: input.plan,
      ...(input.search
        ? {
            OR: [
              { name: { contains: input.search, mode: "insensitive" as const } },
              { slug: { contains: input.search.toLowerCase() } },
            ],
          }
        : {}),
    };
    const [total, orgs] = await Promise.all([
      ctx.db.organization.count({ where }),
      ctx.db.organization.findMany({
        where,
        orderBy: { name: "asc" },
        skip: (input.page - 1) * input.pageSize,
        take: input.pageSize,
        include: {
          legalHolds: { where: { scope: "ORG", releasedAt: null }, select: { id: true } },
        },
      }),
    ]);
    const totals = await snapshotTotals(
      ctx.db,
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
  }),
});
