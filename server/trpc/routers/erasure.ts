import { z } from "zod";
import { cleanUpPreviewsNow, workQueueNow } from "../../app-engine";
import {
  approveErasure,
  previewErasure,
  rejectErasure,
  requestErasure,
} from "../../retention/erasure/requests";
import { listErasures } from "../../console/erasures";
import { adminProcedure, router } from "../init";
import { erasureRequestInput, orgId, recordId } from "../schemas";

const requestId = z.object({ requestId: recordId("must be an erasure request id") });

export const erasureRouter = router({
  list: adminProcedure.query(({ ctx }) => listErasures(ctx.db)),

  /** The members of an org, by their external id only (no personal data). */
  members: adminProcedure.input(z.object({ orgId })).query(({ ctx, input }) =>
    ctx.db.member.findMany({
      where: { orgId: input.orgId },
      select: { id: true, externalId: true },
      orderBy: { id: "asc" },
      take: 500,
    }),
  ),

  request: adminProcedure.input(erasureRequestInput).mutation(({ ctx, input }) =>
    requestErasure(ctx.db, {
      actor: ctx.user,
      orgId: input.orgId,
      scope:
        input.scope === "MEMBER"
          ? { kind: "MEMBER", memberId: input.memberId }
          : { kind: "ORGANIZATION" },
      reason: input.reason,
    }),
  ),

  preview: adminProcedure.input(requestId).mutation(async ({ ctx, input }) => {
    const engine = await ctx.engine();
    const planId = await previewErasure(engine, { actor: ctx.user, requestId: input.requestId });
    ctx.afterResponse(() => cleanUpPreviewsNow(engine));
    return { planId };
  }),

  approve: adminProcedure
    .input(requestId.extend({ planId: z.uuid("must be a preview id") }))
    .mutation(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      const run = await approveErasure(engine, { actor: ctx.user, ...input });
      ctx.afterResponse(() => workQueueNow(engine));
      return run;
    }),

  reject: adminProcedure
    .input(requestId)
    .mutation(({ ctx, input }) =>
      rejectErasure(ctx.db, { actor: ctx.user, requestId: input.requestId }),
    ),
});
