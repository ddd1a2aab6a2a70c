import { z } from "zod";
import { approveTask, pausedTasks, rejectTask } from "../../retention/guard/review";
import { startThenWork } from "../after-response";
import { adminProcedure, router } from "../init";
import * as out from "../outputs/review";
import { recordId } from "../schemas";

const taskInput = z.object({ taskId: recordId("must be a task id") });

/** The guard's paused tasks: an admin approves (they are deleted) or rejects (they stay). */
export const reviewRouter = router({
  paused: adminProcedure.output(out.pausedTasks).query(({ ctx }) => pausedTasks(ctx.db)),

  /** Queued again; its work begins after the response, as a confirmed run's does. */
  approve: adminProcedure
    .input(taskInput)
    .output(out.reviewed)
    .mutation(({ ctx, input }) =>
      startThenWork(ctx, (engine) =>
        approveTask(engine, { taskId: input.taskId, actor: ctx.user }),
      ),
    ),

  reject: adminProcedure
    .input(taskInput)
    .output(out.reviewed)
    .mutation(async ({ ctx, input }) =>
      rejectTask(await ctx.engine(), { taskId: input.taskId, actor: ctx.user }),
    ),
});
