import { z } from "zod";
import { HoldScope } from "../../generated/prisma/enums";
import { placeHold, releaseHold } from "../../retention/policy/holds";
import { adminProcedure, router, viewerProcedure } from "../init";
import { orgId, placeHoldInput, recordId } from "../schemas";

export const holdsRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        active: z.boolean().default(true),
        scope: z.enum(HoldScope).optional(),
        orgId: orgId.optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const holds = await ctx.db.legalHold.findMany({
        where: {
          releasedAt: input.active ? null : { not: null },
          scope: input.scope,
          orgId: input.orgId,
        },
        include: { org: { select: { name: true } } },
        orderBy: { placedAt: "desc" },
        take: 500,
      });
      const people = await ctx.db.user.findMany({
        where: {
          id: {
            in: [...new Set(holds.flatMap((h) => [h.placedById, h.releasedById ?? h.placedById]))],
          },
        },
        select: { id: true, name: true },
      });
      const name = new Map(people.map((p) => [p.id, p.name]));
      return holds.map((h) => ({
        id: h.id,
        scope: h.scope,
        orgId: h.orgId,
        orgName: h.org.name,
        incidentId: h.incidentId,
        artifactId: h.artifactId,
        reason: h.reason,
        placedAt: h.placedAt,
        placedBy: name.get(h.placedById) ?? `user ${h.placedById}`,
        releasedAt: h.releasedAt,
        releasedBy: h.releasedById ? (name.get(h.releasedById) ?? `user ${h.releasedById}`) : null,
      }));
    }),

  place: adminProcedure.input(placeHoldInput).mutation(({ ctx, input }) => {
    const target =
      input.scope === "ORG"
        ? { scope: "ORG" as const, orgId: input.orgId }
        : input.scope === "INCIDENT"
          ? { scope: "INCIDENT" as const, incidentId: input.incidentId }
          : { scope: "ARTIFACT" as const, artifactId: input.artifactId };
    return placeHold(ctx.db, { actor: ctx.user, target, reason: input.reason });
  }),

  release: adminProcedure
    .input(z.object({ holdId: recordId("must be a legal hold id") }))
    .mutation(({ ctx, input }) => releaseHold(ctx.db, { actor: ctx.user, holdId: input.holdId })),
});
