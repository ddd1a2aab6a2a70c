import { z } from "zod";
import { listHolds } from "../../console/holds";
import { HoldScope } from "../../generated/prisma/enums";
import { placeHold, releaseHold } from "../../retention/policy/holds";
import { adminProcedure, router, viewerProcedure } from "../init";
import { hold, holdList } from "../outputs/holds";
import { orgId, placeHoldInput, releaseHoldInput } from "../schemas";

export const holdsRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        active: z.boolean().default(true),
        scope: z.enum(HoldScope).optional(),
        orgId: orgId.optional(),
      }),
    )
    .output(holdList)
    .query(({ ctx, input }) => listHolds(ctx.db, input)),

  place: adminProcedure
    .input(placeHoldInput)
    .output(hold)
    .mutation(({ ctx, input }) => {
      const target =
        input.scope === "ORG"
          ? { scope: "ORG" as const, orgId: input.orgId }
          : input.scope === "INCIDENT"
            ? { scope: "INCIDENT" as const, incidentId: input.incidentId }
            : { scope: "ARTIFACT" as const, artifactId: input.artifactId };
      return placeHold(ctx.db, { actor: ctx.user, target, reason: input.reason });
    }),

  release: adminProcedure
    .input(releaseHoldInput)
    .output(hold)
    .mutation(({ ctx, input }) => releaseHold(ctx.db, { actor: ctx.user, ...input })),
});
