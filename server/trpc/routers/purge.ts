import { z } from "zod";
import { planView } from "../../console/plan-view";
import { listRuns, runDetail } from "../../console/run-views";
import { AppError } from "../../errors";
import { confirmPlan } from "../../retention/plan/confirm";
import { cancelPreview, listOpenPreviews } from "../../retention/plan/open-previews";
import { previewPurge } from "../../retention/plan/preview";
import { runProgress } from "../../retention/run/progress";
import { previewThenCleanUp, startThenWork } from "../after-response";
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
  /** The dry run: stores a plan, deletes nothing. */
  preview: operatorProcedure
    .input(previewInput)
    .output(previewed)
    .mutation(({ ctx, input }) =>
      previewThenCleanUp(ctx, (engine) =>
        previewPurge(engine, {
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

  /** The caller's open previews: what the cap on open previews counts. */
  openPreviews: operatorProcedure
    .output(out.openPreviews)
    .query(async ({ ctx }) => listOpenPreviews(ctx.db, ctx.user, (await ctx.engine()).now())),

  /** Discards the caller's own open preview; its items are deleted at once. */
  discard: operatorProcedure
    .input(z.object({ planId }))
    .output(out.discarded)
    .mutation(async ({ ctx, input }) =>
      cancelPreview(await ctx.engine(), { actor: ctx.user, planId: input.planId }),
    ),

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
