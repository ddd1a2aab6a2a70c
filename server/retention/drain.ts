import type { Engine } from "./engine";
import { runTasks, type BatchSizes, type TaskOutcome } from "./execute";
import { finalizeRun } from "./runs";
import { sql } from "./sql";

export type DrainReport = {
  tasksWorked: number;
  tasksFinished: number;
  paused: number;
  failures: number;
};

/**
 * Puts every open task of a running run back on the queue if it lost its
 * job (a crash between finishing a slice and queueing the next), and ends
 * runs whose tasks are all settled. A task whose worker died holding it
 * (its lease ran out, unreleased) is queued again at once: a crash is not a
 * failure of the task, so it does not wait out the retry backoff.
 */
export async function reconcile(engine: Engine) {
  await engine.queue.expireStale();
  const open = await engine.db.$queryRaw<{ id: number; abandoned: boolean }[]>(sql`
    SELECT t.id, coalesce(t.lease_until < now(), false) AS abandoned
    FROM purge_tasks t JOIN purge_runs r ON r.id = t.run_id
    WHERE t.status IN ('PENDING', 'RUNNING') AND r.status = 'RUNNING' AND t.attempts < ${engine.settings.maxTaskAttempts}`);
  const abandoned = open.filter((t) => t.abandoned).map((t) => t.id);
  await engine.queue.enqueue([
    ...new Set([
      ...(await engine.queue.withoutJob(open.map((t) => t.id))),
      ...(await engine.queue.withoutJob(abandoned, ["created"])),
    ]),
  ]);
  const running = await engine.db.purgeRun.findMany({
    where: { status: "RUNNING" },
    select: { id: true },
  });
  for (const run of running) await finalizeRun(engine.db, run.id);
}

/**
 * Tasks a worker takes from the queue at once. Most orgs have a few hundred
 * items per category, so this many fill several shared batches.
 */
const TASKS_PER_FETCH = 32;
/**
 * A worker takes at most this share of the waiting tasks, so that a small
 * run is shared by the workers at hand instead of held by the first one.
 */
const SHARE_OF_WAITING = 1 / 4;

/**
 * Works queued tasks until `deadline` (ms since epoch) or until the queue
 * has nothing this worker may take. Any number of these run side by side,
 * on any number of machines: the queue hands each task to one at a time.
 */
export async function drain(engine: Engine, deadline: number): Promise<DrainReport> {
  const report: DrainReport = { tasksWorked: 0, tasksFinished: 0, paused: 0, failures: 0 };
  await reconcile(engine);
  const sizes: BatchSizes = new Map();
  while (Date.now() < deadline - 500) {
    const waiting = await engine.queue.waiting();
    const jobs = await engine.queue.next(
      Math.max(1, Math.min(TASKS_PER_FETCH, Math.ceil(waiting * SHARE_OF_WAITING))),
    );
    if (jobs.length === 0) break;
    report.tasksWorked += jobs.length;
    // The work never outlives the lease, so no other worker takes over a live task.
    const workDeadline = Math.min(deadline, Date.now() + engine.settings.leaseSeconds * 800);
    let outcomes: Map<number, TaskOutcome>;
    try {
      outcomes = await runTasks(
        engine,
        jobs.map((j) => j.taskId),
        workDeadline,
        sizes,
      );
    } catch (error) {
      report.failures += jobs.length;
      for (const job of jobs) await engine.queue.fail(job, error);
      continue;
    }
    const ended = jobs.filter((j) => outcomes.get(j.taskId)?.kind !== "failed");
    await engine.queue.complete(ended);
    for (const job of jobs) {
      const outcome = outcomes.get(job.taskId);
      if (outcome?.kind === "done") report.tasksFinished++;
      if (outcome?.kind === "failed") {
        report.failures++;
        await engine.queue.fail(job, outcome.error);
      }
    }
    const paused = jobs.filter((j) => outcomes.get(j.taskId)?.kind === "paused");
    report.paused += paused.length;
    await engine.queue.enqueue(paused.map((j) => j.taskId));
  }
  return report;
}
