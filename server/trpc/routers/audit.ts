import { z } from "zod";
import { listAudit, verifyAuditChain } from "../../retention/evidence";
import { router, viewerProcedure } from "../init";
import { paging } from "../schemas";

export const auditRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        action: z.string().trim().max(60).optional(),
        orgId: z.number().int().positive().optional(),
        actor: z.string().trim().max(60).optional(),
        from: z.date().optional(),
        to: z.date().optional(),
        ...paging,
      }),
    )
    .query(({ ctx, input }) =>
      listAudit(ctx.db, {
        ...input,
        offset: (input.page - 1) * input.pageSize,
        limit: input.pageSize,
      }),
    ),

  verify: viewerProcedure.mutation(({ ctx }) => verifyAuditChain(ctx.db)),
});
