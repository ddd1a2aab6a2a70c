import { z } from "zod";
import { openPreviewsView } from "../../console/open-previews-view";
import { planView } from "../../console/plan-view";
import { listRuns, runDetail } from "../../console/run-views";
import { AppError } from "../../errors";
import { confirmPlan } from "../../retention/plan/confirm";
import { cancelPreview } from "../../retention/plan/open-previews";
import { planningProgress } from "../../retention/plan/planning-progress";
import { requestPreview } from "../../retention/plan/preview";
import { runProgress } from "../../retention/run/progress";
import { keepPlanning, previewThenWork, startThenWork } from "../after-response";
import { operatorProcedure, router, viewerProcedure } from "../init";
import { previewed, started } from "../outputs/common";
import * as out from "../outputs/purge";
import {
  confirmInput,
  pageRange,
  paging,
  planId,
  previewInput,
  runId,
  runsInput,
} from "../schemas";

export const purgeRouter = router({
  /** The dry run: stores a plan, deletes nothing; one of more than one org is planned after the response. */
  preview: operatorProcedure
    .input(previewInput)
    .output(previewed)
    .mutation(({ ctx, input }) =>
      previewThenWork(ctx, (engine) =>
        requestPreview(engine, {
          scope: {
            orgIds: input.orgIds,
            categories: input.categories,
            asOf: input.asOf ?? null,
            only: input.only ?? null,
          },
          trigger: "OPERATOR",
          actor: ctx.user,
        }),
      ),
    ),

  /** The caller's open previews: what the cap on open previews counts; polled, it keeps those planning worked. */
  openPreviews: operatorProcedure.output(out.openPreviews).query(async ({ ctx }) => {
    const previews = await openPreviewsView(ctx.db, ctx.user, (await ctx.engine()).now());
    if (previews.some((p) => p.progress?.status === "PLANNING")) keepPlanning(ctx);
    return previews;
  }),

  /** Discards an open preview, or cancels one being planned: the caller's own, or anyone's for an admin. */
  discard: operatorProcedure
    .input(z.object({ planId }))
    .output(out.discarded)
    .mutation(async ({ ctx, input }) =>
      cancelPreview(await ctx.engine(), {
        actor: ctx.user,
        planId: input.planId,
        anyones: ctx.user.role === "ADMIN",
      }),
    ),

  /** How far a dry run's planning got; while it plans, each poll keeps its steps worked. */
  planning: viewerProcedure
    .input(z.object({ planId }))
    .output(out.planningProgress)
    .query(async ({ ctx, input }) => {
      const progress = await planningProgress(ctx.db, input.planId);
      if (!progress) throw new AppError("NOT_FOUND", `No preview ${input.planId}.`);
      if (progress.status === "PLANNING") keepPlanning(ctx);
      return progress;
    }),

  plan: viewerProcedure
    .input(z.object({ planId, ...paging }))
    .output(out.planView)
    .query(async ({ ctx, input }) =>
      planView(ctx.db, input.planId, pageRange(input), (await ctx.engine()).now()),
    ),

  /** Runs exactly the previewed plan. */
  confirm: operatorProcedure
    .input(confirmInput)
    .output(started)
    .mutation(({ ctx, input }) =>
      startThenWork(ctx, (engine) =>
        confirmPlan(engine, {
          planId: input.planId,
          actor: ctx.user,
          acknowledgement: input.acknowledgement ?? null,
        }),
      ),
    ),

  run: viewerProcedure
    .input(z.object({ runId }))
    .output(out.runProgress)
    .query(async ({ ctx, input }) => {
      const progress = await runProgress(ctx.db, input.runId);
      if (!progress) throw new AppError("NOT_FOUND", `No purge run ${input.runId}.`);
      return progress;
    }),

  runs: viewerProcedure
    .input(runsInput)
    .output(out.runPage)
    .query(({ ctx, input }) =>
      listRuns(ctx.db, { trigger: input.trigger, status: input.status, ...pageRange(input) }),
    ),

  runDetail: viewerProcedure
    .input(z.object({ runId, onlyProblems: z.boolean().default(false), ...paging }))
    .output(out.runDetail)
    .query(({ ctx, input }) =>
      runDetail(ctx.db, input.runId, { ...pageRange(input), onlyProblems: input.onlyProblems }),
    ),
});
