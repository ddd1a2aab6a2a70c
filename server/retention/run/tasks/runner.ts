import { categoryOf } from "../../categories";
import type { Engine } from "../../deps";
import { sql } from "../../sql";
import { claim, errorText, failTaskAttempt, pause, type WorkOutcome } from "../leases";
import { addToTotals } from "../ledger";
import { workBatches, type BatchSizes } from "../pacing";
import { finalizeRun, finalizeRunIfDone, refreshSnapshots } from "../run-end";
import { purgeNextBatch } from "./purge-batch";
import { slicesOf, type Slice } from "./slices";

/**
 * Records a failed attempt of a task and lets go of it; past the limit the
 * task is given up, what its committed batches deleted is added to the
 * purge totals, and the run may end.
 */
export async function recordTaskFailure(engine: Engine, taskId: number, error: unknown) {
  const changed = await engine.db.$transaction(async (tx) => {
    const [task] = await tx.$queryRaw<{ run_id: string; status: string }[]>(sql`
      UPDATE purge_tasks t SET ${failTaskAttempt(engine, sql`${errorText(error)}`)},
                               lease_owner = NULL, lease_until = NULL
      WHERE id = ${taskId} AND status IN ('PENDING', 'RUNNING')
      RETURNING run_id, status::text`);
    if (!task || task.status !== "FAILED") return null;
    await tx.$executeRaw(
      addToTotals(
        sql`(SELECT plan, category, deleted, bytes_freed FROM purge_tasks WHERE id = ${taskId})`,
      ),
    );
    return finalizeRunIfDone(tx, task.run_id);
  });
  if (changed) await refreshSnapshots(engine.db, changed);
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
  const worked = await workBatches(engine, deadline, sizes, {
    category: slice.category,
    sizedUpTo: sizedByTime(slice) ? engine.settings.batchSize : null,
    batch: (size) => purgeNextBatch(engine, { ...slice, tasks }, size),
    more: (result) => {
      for (const id of result.finished) outcomes.set(id, { kind: "done" });
      for (const id of result.lost) outcomes.set(id, { kind: "busy" });
      const leaving = new Set([...result.finished, ...result.lost]);
      tasks = tasks.filter((t) => !leaving.has(t.taskId));
      return tasks.length > 0;
    },
  });
  if (worked.kind === "paused")
    await pause(
      engine,
      "task",
      tasks.map((t) => t.taskId),
      outcomes,
    );
  if (worked.kind !== "failed") return;
  if (tasks.length > 1) {
    for (const task of tasks)
      await workSlice(engine, { ...slice, tasks: [task] }, deadline, outcomes, sizes);
    return;
  }
  const [only] = tasks;
  if (only) {
    await recordTaskFailure(engine, only.taskId, worked.error);
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
      await finalizeRun(engine.db, slice.runId);
  }
  for (const id of claimed) {
    if (outcomes.has(id)) continue;
    const error = new Error(`Task ${id} has no entry in its plan to take its terms from`);
    await recordTaskFailure(engine, id, error);
    outcomes.set(id, { kind: "failed", error });
  }
  return outcomes;
}
