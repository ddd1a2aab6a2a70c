import { z } from "zod";
import { listEnvironments } from "../../console/environments";
import { incidentDetail, listIncidents } from "../../console/incidents";
import { freedByRun, storageHistory, storageProjection } from "../../console/storage-report";
import { DriftStatus, IncidentStatus } from "../../generated/prisma/enums";
import { router, viewerProcedure } from "../init";
import { orgId, paging, recordId } from "../schemas";

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
    .query(({ ctx, input }) =>
      listIncidents(ctx.db, {
        ...input,
        offset: (input.page - 1) * input.pageSize,
        limit: input.pageSize,
      }),
    ),

  get: viewerProcedure
    .input(z.object({ id: recordId("must be an incident id") }))
    .query(async ({ ctx, input }) =>
      incidentDetail(ctx.db, (await ctx.engine()).settings.policy, input.id),
    ),
});

export const environmentsRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        search: z.string().trim().max(100).optional(),
        status: z.enum(DriftStatus).optional(),
        ...paging,
      }),
    )
    .query(({ ctx, input }) =>
      listEnvironments(ctx.db, {
        ...input,
        offset: (input.page - 1) * input.pageSize,
        limit: input.pageSize,
      }),
    ),
});

export const storageRouter = router({
  history: viewerProcedure
    .input(z.object({ days: z.number().int().min(7).max(365).default(180) }))
    .query(({ ctx, input }) => storageHistory(ctx.db, input.days)),
  freedByRun: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(30) }))
    .query(({ ctx, input }) => freedByRun(ctx.db, input.limit)),
  projection: viewerProcedure.query(async ({ ctx }) => {
    const engine = await ctx.engine();
    return storageProjection(ctx.db, engine.settings, engine.now(), ctx.afterResponse);
  }),
});
