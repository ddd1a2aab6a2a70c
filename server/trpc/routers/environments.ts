import { z } from "zod";
import { listEnvironments } from "../../console/environments";
import { DriftStatus } from "../../generated/prisma/enums";
import { router, viewerProcedure } from "../init";
import { environmentPage } from "../outputs/environments";
import { pageRange, paging } from "../schemas";

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
});
