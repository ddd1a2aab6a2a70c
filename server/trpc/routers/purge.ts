import { z } from "zod";
import { confirmPlan } from "../../retention/plan/confirm";
import { planView } from "../../console/plan-view";
import { previewPurge } from "../../retention/plan/preview";
import { listRuns, runDetail } from "../../console/run-views";
import { runProgress } from "../../retention/run/progress";
import { cleanUpPreviewsNow, workQueueNow } from "../../app-engine";
import { discardPreview, listOpenPreviews } from "../../retention/plan/open-previews";
import { AppError } from "../../errors";
import { operatorProcedure, router, viewerProcedure } from "../init";
import { confirmInput, paging, previewInput, runId, runsInput } from "../schemas";

export const purgeRouter = router({
  /** The dry run: stores a plan, deletes nothing. */
  preview: operatorProcedure.input(previewInput).mutation(async ({ ctx, input }) => {
    const engine = await ctx.engine();
    const planId = await previewPurge(engine, {
      scope: {
        orgIds: input.orgIds,
        categories: input.categories,
        asOf: input.asOf ?? null,
        only: input.only ?? null,
      },
      trigger: "OPERATOR",
      actor: ctx.user,
    });
    ctx.afterResponse(() => cleanUpPreviewsNow(engine));
    return { planId };
  }),

  /** The caller's open previews: what the cap on open previews counts. */
  openPreviews: operatorProcedure.query(async ({ ctx }) =>
    listOpenPreviews(ctx.db, ctx.user, (await ctx.engine()).now()),
  ),

  /** Discards the caller's own open preview; its items are deleted at once. */
  discard: operatorProcedure
    .input(z.object({ planId: z.uuid("must be a preview id") }))
    .mutation(async ({ ctx, input }) =>
      discardPreview(await ctx.engine(), { actor: ctx.user, planId: input.planId }),
    ),

  plan: viewerProcedure
    .input(z.object({ planId: z.uuid("must be a preview id"), ...paging }))
    .query(async ({ ctx, input }) =>
      planView(
        ctx.db,
        input.planId,
        { offset: (input.page - 1) * input.pageSize, limit: input.pageSize },
        (await ctx.engine()).now(),
      ),
    ),

  /** Runs exactly the previewed plan. */
  confirm: operatorProcedure.input(confirmInput).mutation(async ({ ctx, input }) => {
    const engine = await ctx.engine();
    const run = await confirmPlan(engine, {
      planId: input.planId,
      actor: ctx.user,
      acknowledgement: input.acknowledgement ?? null,
    });
    ctx.afterResponse(() => workQueueNow(engine));
    return run;
  }),

  run: viewerProcedure.input(z.object({ runId })).query(async ({ ctx, input }) => {
    const progress = await runProgress(ctx.db, input.runId);
    if (!progress) throw new AppError("NOT_FOUND", `No purge run ${input.runId}.`);
    return progress;
  }),

  runs: viewerProcedure.input(runsInput).query(({ ctx, input }) =>
    listRuns(ctx.db, {
      trigger: input.trigger,
      status: input.status,
      offset: (input.page - 1) * input.pageSize,
      limit: input.pageSize,
    }),
  ),

  runDetail: viewerProcedure
    .input(z.object({ runId, onlyProblems: z.boolean().default(false), ...paging }))
    .query(({ ctx, input }) =>
      runDetail(ctx.db, input.runId, {
        offset: (input.page - 1) * input.pageSize,
        limit: input.pageSize,
        onlyProblems: input.onlyProblems,
      }),
    ),
});
