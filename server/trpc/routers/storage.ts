import { z } from "zod";
import {
  awaitingFinalDeletion,
  freedByRun,
  storageHistory,
  storageProjection,
} from "../../console/storage-report";
import { router, viewerProcedure } from "../init";
import * as out from "../outputs/storage";

export const storageRouter = router({
  history: viewerProcedure
    .input(z.object({ days: z.number().int().min(7).max(365).default(180) }))
    .output(out.storageHistory)
    .query(({ ctx, input }) => storageHistory(ctx.db, input.days)),

  freedByRun: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(30) }))
    .output(out.freedByRun)
    .query(({ ctx, input }) => freedByRun(ctx.db, input.limit)),

  projection: viewerProcedure.output(out.storageProjection).query(async ({ ctx }) => {
    const engine = await ctx.engine();
    return storageProjection(ctx.db, engine.settings, engine.now(), ctx.afterResponse);
  }),

  /** Bytes purged into their restore window: apart from the stored bytes, until their final deletion. */
  awaitingDeletion: viewerProcedure
    .output(out.awaitingDeletion)
    .query(({ ctx }) => awaitingFinalDeletion(ctx.db)),
});
