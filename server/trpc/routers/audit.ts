import { z } from "zod";
import { auditActorChoices, listAudit } from "../../console/audit-log";
import { verifyAuditChain } from "../../retention/evidence/audit-chain";
import { router, viewerProcedure } from "../init";
import { auditActors, auditPage, auditVerdict } from "../outputs/audit";
import { instant, orgId, pageRange, paging, rangeInOrder } from "../schemas";

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
    .output(auditPage)
    .query(({ ctx, input }) => listAudit(ctx.db, { ...input, ...pageRange(input) })),

  /** Who the filter can name. */
  actors: viewerProcedure.output(auditActors).query(({ ctx }) => auditActorChoices(ctx.db)),

  verify: viewerProcedure.output(auditVerdict).mutation(({ ctx }) => verifyAuditChain(ctx.db)),
});
