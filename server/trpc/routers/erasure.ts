import { z } from "zod";
import { listErasures, orgMembers } from "../../console/erasures";
import {
  approveErasure,
  previewErasure,
  rejectErasure,
  requestErasure,
} from "../../retention/erasure/requests";
import { previewThenWork, startThenWork } from "../after-response";
import { adminProcedure, router } from "../init";
import { previewed, started } from "../outputs/common";
import * as out from "../outputs/erasure";
import { erasureRequestInput, orgId, planId, recordId } from "../schemas";

const requestId = z.object({ requestId: recordId("must be an erasure request id") });

export const erasureRouter = router({
  list: adminProcedure.output(out.erasureList).query(({ ctx }) => listErasures(ctx.db)),

  /** The members of an org, by their external id only (no personal data). */
  members: adminProcedure
    .input(z.object({ orgId }))
    .output(out.orgMembers)
    .query(({ ctx, input }) => orgMembers(ctx.db, input.orgId)),

  request: adminProcedure
    .input(erasureRequestInput)
    .output(out.erasureRequest)
    .mutation(({ ctx, input }) =>
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

  preview: adminProcedure
    .input(requestId)
    .output(previewed)
    .mutation(({ ctx, input }) =>
      // An erasure is planned at once, within its request.
      previewThenWork(ctx, async (engine) => ({
        planId: await previewErasure(engine, { actor: ctx.user, requestId: input.requestId }),
        planning: false,
      })),
    ),

  approve: adminProcedure
    .input(requestId.extend({ planId }))
    .output(started)
    .mutation(({ ctx, input }) =>
      startThenWork(ctx, (engine) => approveErasure(engine, { actor: ctx.user, ...input })),
    ),

  reject: adminProcedure
    .input(requestId)
    .output(out.erasureRequest)
    .mutation(({ ctx, input }) =>
      rejectErasure(ctx.db, { actor: ctx.user, requestId: input.requestId }),
    ),
});
