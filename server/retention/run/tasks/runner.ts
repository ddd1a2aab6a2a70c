import type { RetentionCategory } from "../../../generated/prisma/enums";
import { purgeNextBatch, type BatchResult } from "./purge-batch";
import { addToTotals } from "../ledger";
import { categoryOf } from "../../categories";
import type { Engine, EngineSettings } from "../../deps";
import { finalizeRun, finalizeRunIfDone, refreshSnapshots } from "../run-end";
import { slicesOf, type Slice } from "./slices";
import { sql } from "../../sql";

/** What became of a task this worker was handed: the queue acts on it. */
export type TaskOutcome =
  { kind: "done" | "paused" | "busy" | "gone" } | { kind: "failed"; error: unknown };

const TRANSIENT_RETRIES = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the tasks for this worker, except those another live worker holds.
 * Leases run on the database's clock, which every worker shares.
 */
async function claim(engine: Engine, taskIds: number[]) {
  const rows = await engine.db.$queryRaw<{ id: number }[]>(sql`
    UPDATE purge_tasks SET status = 'RUNNING', lease_owner = ${engine.workerId},
                           lease_until = now() + make_interval(secs => ${engine.settings.leaseSeconds}),
                           started_at = coalesce(started_at, now())
    WHERE id = ANY(${taskIds}::int[]) AND status IN ('PENDING', 'RUNNING')
      AND (lease_until IS NULL OR lease_until < now() OR lease_owner = ${engine.workerId})
    RETURNING id`);
  return new Set(rows.map((r) => r.id));
}

async function release(engine: Engine, taskIds: number[]) {
  await engine.db.$executeRaw(sql`
    UPDATE purge_tasks SET lease_owner = NULL, lease_until = NULL
    WHERE id = ANY(${taskIds}::int[]) AND lease_owner = ${engine.workerId}`);
}

/** Tasks this worker could not claim: ended ones are gone, the others another worker holds. */
async function unclaimed(engine: Engine, taskIds: number[]) {
  if (taskIds.length === 0) return new Map<number, TaskOutcome>();
  const open = await engine.db.$queryRaw<{ id: number }[]>(sql`
    SELECT id FROM purge_tasks WHERE id = ANY(${taskIds}::int[]) AND status IN ('PENDING', 'RUNNING')`);
  const busy = new Set(open.map((t) => t.id));
  return new Map<number, TaskOutcome>(
    taskIds.map((id) => [id, { kind: busy.has(id) ? "busy" : "gone" }]),
  );
}

/**
 * Records a failed attempt; past the limit the task is given up, what its
 * committed batches deleted is added to the purge totals, and the run may end.
 */
export async function recordTaskFailure(engine: Engine, taskId: number, error: unknown) {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  const changed = await engine.db.$transaction(async (tx) => {
    const [task] = await tx.$queryRaw<{ run_id: string; status: string }[]>(sql`
      UPDATE purge_tasks SET attempts = attempts + 1, last_error = ${message}, lease_owner = NULL, lease_until = NULL,
        status = CASE WHEN attempts + 1 >= ${engine.settings.maxTaskAttempts} THEN 'FAILED'::"TaskStatus" ELSE status END,
        finished_at = CASE WHEN attempts + 1 >= ${engine.settings.maxTaskAttempts} THEN now() ELSE finished_at END
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
 * The next batch's size: what the last one's rate fits in the target time,
 * halfway from the last size so one slow batch does not halve the next, and
 * never above `most` (by default the batch size setting). Lock hold times
 * then stay near the target whatever a row costs (a check with many
 * workflow flags, a busy database), as chunk-time sizing does.
 */
export function nextBatchSize(
  size: number,
  last: Pick<BatchResult, "items" | "workMs">,
  settings: EngineSettings,
  most = settings.batchSize,
) {
  if (last.items === 0) return size;
  const fits = (last.items / Math.max(1, last.workMs)) * settings.batchTargetMs;
  return Math.max(1, Math.min(most, Math.round((size + fits) / 2)));
}

/** A batch that fails on a transient error is retried whole, with backoff. */
export async function withRetries<T>(batch: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await batch();
    } catch (error) {
      if (attempt >= TRANSIENT_RETRIES) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
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

/** Per category, the size of the next batch; a worker keeps it from one slice to the next. */
export type BatchSizes = Map<RetentionCategory, number>;

/**
 * Works a slice batch by batch until its tasks are done or the deadline is
 * near. Every batch commits on its own, so stopping between batches
 * (deadline) or inside one (crash) loses nothing and counts nothing twice.
 * A batch that keeps failing is tried again task by task, so one org's
 * failure does not hold back the others of its slice.
 */
async function workSlice(
  engine: Engine,
  slice: Slice,
  deadline: number,
  outcomes: Map<number, TaskOutcome>,
  sizes: BatchSizes,
) {
  let tasks = slice.tasks;
  let slowestBatchMs = 0;
  while (tasks.length > 0) {
    if (Date.now() + slowestBatchMs * 1.5 + 250 > deadline) {
      await release(
        engine,
        tasks.map((t) => t.taskId),
      );
      for (const t of tasks) outcomes.set(t.taskId, { kind: "paused" });
      return;
    }
    const started = Date.now();
    const size = sizes.get(slice.category) ?? engine.settings.batchSize;
    let result;
    try {
      result = await withRetries(() => purgeNextBatch(engine, { ...slice, tasks }, size));
    } catch (error) {
      if (tasks.length > 1) {
        for (const task of tasks)
          await workSlice(engine, { ...slice, tasks: [task] }, deadline, outcomes, sizes);
        return;
      }
      const [only] = tasks;
      if (only) {
        await recordTaskFailure(engine, only.taskId, error);
        outcomes.set(only.taskId, { kind: "failed", error });
      }
      return;
    }
    slowestBatchMs = Math.max(slowestBatchMs, Date.now() - started);
    if (sizedByTime(slice)) sizes.set(slice.category, nextBatchSize(size, result, engine.settings));
    for (const id of result.finished) outcomes.set(id, { kind: "done" });
    for (const id of result.lost) outcomes.set(id, { kind: "busy" });
    const settled = new Set([...result.finished, ...result.lost]);
    tasks = tasks.filter((t) => !settled.has(t.taskId));
  }
}

/**
 * Works the tasks this worker was handed until each is done or the deadline
 * (ms since epoch) is near, grouped into slices of one run and category.
 * The deadline must fall inside the lease, so no other worker takes over a
 * live task.
 */
export async function runTasks(
  engine: Engine,
  taskIds: number[],
  deadline: number,
  sizes: BatchSizes = new Map(),
): Promise<Map<number, TaskOutcome>> {
  const claimed = await claim(engine, taskIds);
  const outcomes = await unclaimed(
    engine,
    taskIds.filter((id) => !claimed.has(id)),
  );
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
