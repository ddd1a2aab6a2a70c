import { z } from "zod";
import { runWindow } from "../../console/run-window";
import { restoreItems } from "../../retention/restore/restore";
import { adminProcedure, router, viewerProcedure } from "../init";
import * as out from "../outputs/restore";
import { pageRange, paging, restoreInput, runId } from "../schemas";

/** The restore window: anyone reads what a run's purge left restorable; an admin brings it back. */
export const restoreRouter = router({
  window: viewerProcedure
    .input(z.object({ runId, ...paging }))
    .output(out.runWindow)
    .query(async ({ ctx, input }) => runWindow(await ctx.engine(), input.runId, pageRange(input))),

  /** Rows back with their ids, objects as they were; the core refuses what is not restorable, saying why. */
  restore: adminProcedure
    .input(restoreInput)
    .output(out.restored)
    .mutation(async ({ ctx, input }) =>
      restoreItems(
        await ctx.engine(),
        {
          runId: input.runId,
          orgId: input.orgId,
          category: input.category,
          itemId: input.itemId,
        },
        ctx.user,
      ),
    ),
});
