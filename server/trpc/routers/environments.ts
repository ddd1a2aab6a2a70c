import { z } from "zod";
import { environmentDetail, listEnvironments } from "../../console/environments";
import { DriftStatus } from "../../generated/prisma/enums";
import { router, viewerProcedure } from "../init";
import { environmentDetail as detail, environmentPage } from "../outputs/environments";
import { pageRange, paging, recordId } from "../schemas";

export const environmentsRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        search: z.string().trim().max(100).optional(),
        status: z.enum(DriftStatus).optional(),
        ...paging,
      }),
    )
    .output(environmentPage)
    .query(({ ctx, input }) => listEnvironments(ctx.db, { ...input, ...pageRange(input) })),

  get: viewerProcedure
    .input(z.object({ id: recordId("must be an environment id") }))
    .output(detail)
    .query(({ ctx, input }) => environmentDetail(ctx.db, input.id)),
});
