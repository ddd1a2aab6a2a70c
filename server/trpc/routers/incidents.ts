import { z } from "zod";
import { incidentDetail, listIncidents } from "../../console/incidents";
import { IncidentStatus } from "../../generated/prisma/enums";
import { router, viewerProcedure } from "../init";
import * as out from "../outputs/incidents";
import { orgId, pageRange, paging, recordId } from "../schemas";

export const incidentsRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        status: z.union([z.enum(["OPEN", "CLOSED"]), z.enum(IncidentStatus)]).optional(),
        payload: z.enum(["PRESENT", "PURGED"]).optional(),
        orgId: orgId.optional(),
        search: z.string().trim().max(100).optional(),
        ...paging,
      }),
    )
    .output(out.incidentPage)
    .query(({ ctx, input }) => listIncidents(ctx.db, { ...input, ...pageRange(input) })),

  get: viewerProcedure
    .input(z.object({ id: recordId("must be an incident id") }))
    .output(out.incidentDetail)
    .query(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      return incidentDetail(ctx.db, engine.settings.policy, input.id, engine.now());
    }),
});
