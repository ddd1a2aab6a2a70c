import { z } from "zod";
import { listAudit } from "../../console/audit-log";
import { verifyAuditChain } from "../../retention/evidence/audit-chain";
import { router, viewerProcedure } from "../init";
import { instant, orgId, paging, rangeInOrder } from "../schemas";

export const auditRouter = router({
  list: viewerProcedure
    .input(
      rangeInOrder(
        z.object({
          action: z.string().trim().max(60).optional(),
          orgId: orgId.optional(),
          actor: z.string().trim().max(60).optional(),
          from: instant.optional(),
          to: instant.optional(),
          ...paging,
        }),
      ),
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
