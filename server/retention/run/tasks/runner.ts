import { categoryOf } from "../../categories";
import type { Engine } from "../../deps";
import { sql } from "../../sql";
import { claim, errorText, failTaskAttempt, pause, type WorkOutcome } from "../leases";
import { addToTotals, type TaskEnd } from "../ledger";
import { workBatches, type BatchSizes } from "../pacing";
import { afterRunEnd, endRunIfDone, endRunIfDoneIn } from "../run-end";
import { purgeNextBatch } from "./purge-batch";
import { slicesOf, type Slice } from "./slices";

type FailedTask = Omit<TaskEnd, "id" | "batches"> & {
  run_id: string;
  category: string;
  status: string;
  attempts: number;
};

/**
 * Records a failed attempt of a task and lets go of it; past the limit the
 * task is given up, what its committed batches deleted is added to the
 * purge totals, and the run may end.
 */
async function recordTaskFailure(engine: Engine, taskId: number, error: unknown, planId?: string) {
  let task: FailedTask | undefined;
  const ended = await engine.db.$transaction(async (tx) => {
    [task] = await tx.$queryRaw<FailedTask[]>(sql`
      UPDATE purge_tasks t SET ${failTaskAttempt(engine, sql`${errorText(error)}`)},
                               lease_owner = NULL, lease_until = NULL
      WHERE id = ${taskId} AND status IN ('PENDING', 'RUNNING')
      RETURNING run_id, org_id, category::text, status::text, attempts, deleted, skipped, failed, bytes_freed`);
    if (task?.status !== "FAILED") return null;
    await tx.$executeRaw(
      addToTotals(
        sql`(SELECT plan, category, deleted, bytes_freed FROM purge_tasks WHERE id = ${taskId})`,
      ),
    );
    return endRunIfDoneIn(tx, task.run_id);
  });
  if (task) {
    const { run_id: runId, org_id: orgId, category, status, attempts, ...counts } = task;
    const mine = engine.log.child({ runId, planId, taskId, orgId, category });
    mine.error({ err: error, attempts }, "task attempt failed");
    if (status === "FAILED") mine.info({ status, ...counts }, "task ended");
  }
  await afterRunEnd(engine, ended);
}

/**
 * Batches of objects stay full, one DeleteObjects of up to batchSize keys
 * each: S3 requests are what they cost, and S3's time, not their locks,
 * is most of theirs. Batches of rows alone are sized by time.
 */
function sizedByTime(slice: Slice) {
  const category = categoryOf(slice.category);
  return category.kind === "rows" && !category.storesObjects;
}

/**
 * What differs of a slice from a sweep: its batches take items across its
 * tasks, and a batch that keeps failing is tried again task by task, so
 * one org's failure does not hold back the others of its slice.
 */
async function workSlice(
  engine: Engine,
  slice: Slice,
  deadline: number,
  outcomes: Map<number, WorkOutcome>,
  sizes: BatchSizes,
) {
  let tasks = slice.tasks;
  const log = engine.log.child({
    runId: slice.runId,
    planId: slice.planId,
    category: slice.category,
  });
  const worked = await workBatches(engine, deadline, sizes, {
    category: slice.category,
    sizedUpTo: sizedByTime(slice) ? engine.settings.batchSize : null,
    batch: (size) => purgeNextBatch(engine, { ...slice, tasks }, size),
    more: (result) => {
      const { taken, items, workMs, ended, lost } = result;
      log.debug({ taskIds: taken, items, workMs: Math.round(workMs) }, "batch");
      for (const { id, org_id, ...counts } of ended) {
        log.info({ taskId: id, orgId: org_id, status: "SUCCEEDED", ...counts }, "task ended");
        outcomes.set(id, { kind: "done" });
      }
      for (const id of lost) outcomes.set(id, { kind: "busy" });
      const leaving = new Set([...ended.map((t) => t.id), ...lost]);
      tasks = tasks.filter((t) => !leaving.has(t.taskId));
      return tasks.length > 0;
    },
  });
  if (worked.kind === "paused") {
    log.debug({ taskIds: tasks.map((t) => t.taskId) }, "paused at the deadline");
    await pause(
      engine,
      "task",
      tasks.map((t) => t.taskId),
      outcomes,
    );
  }
  if (worked.kind !== "failed") return;
  if (tasks.length > 1) {
    for (const task of tasks)
      await workSlice(engine, { ...slice, tasks: [task] }, deadline, outcomes, sizes);
    return;
  }
  const [only] = tasks;
  if (only) {
    await recordTaskFailure(engine, only.taskId, worked.error, slice.planId);
    outcomes.set(only.taskId, { kind: "failed", error: worked.error });
  }
}

/**
 * The runner of org × category tasks: works the tasks this worker was
 * handed until each is done or the deadline (ms since epoch) is near,
 * grouped into slices of one run and category.
 */
export async function runTasks(
  engine: Engine,
  taskIds: number[],
  deadline: number,
  sizes: BatchSizes = new Map(),
): Promise<Map<number, WorkOutcome>> {
  const { claimed, unclaimed: outcomes } = await claim(engine, "task", taskIds);
  if (claimed.size === 0) return outcomes;
  for (const slice of await slicesOf(engine, [...claimed])) {
    await workSlice(engine, slice, deadline, outcomes, sizes);
    if (slice.tasks.some((t) => outcomes.get(t.taskId)?.kind === "done"))
      await endRunIfDone(engine, slice.runId);
  }
  for (const id of claimed) {
    if (outcomes.has(id)) continue;
    const error = new Error(`Task ${id} has no entry in its plan to take its terms from`);
    await recordTaskFailure(engine, id, error);
    outcomes.set(id, { kind: "failed", error });
  }
  return outcomes;
}
