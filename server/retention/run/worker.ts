import type { Engine } from "../deps";
import { givesUpSql, type WorkOutcome } from "./leases";
import type { BatchSizes } from "./pacing";
import { runTasks } from "./tasks/runner";
import type { WorkJob, WorkKind } from "./queue";
import { endRunIfDone } from "./run-end";
import { sql } from "../sql";
import { runSweeps } from "./sweeps/runner";
import { sweptArray } from "../categories";
import { runSteps } from "../plan/step-runner";
import { queueRunnableSteps } from "../plan/step-queue";

/** What one drain did, in jobs: each hands out one task, one sweep or one planning step. */
export type DrainReport = {
  /** Jobs the queue handed this worker. */
  jobsWorked: number;
  /** Their tasks or sweeps that ended. */
  jobsDone: number;
  /** Stopped at the deadline, queued again. */
  paused: number;
  /** Failed, retried with backoff. */
  failures: number;
};

/**
 * Open work of running runs: tasks of categories that are not swept, and
 * those of a swept category the guard paused (their task works their items),
 * and sweeps once their run is open (the guard tells them whom to pass by).
 */
async function openWork(engine: Engine, kind: Exclude<WorkKind, "step">) {
  return kind === "task"
    ? engine.db.$queryRaw<{ id: number; abandoned: boolean }[]>(sql`
        SELECT t.id, coalesce(t.lease_until < now(), false) AS abandoned
        FROM purge_tasks t JOIN purge_runs r ON r.id = t.run_id
        WHERE t.status IN ('PENDING', 'RUNNING') AND r.status = 'RUNNING'
          AND NOT ${givesUpSql(engine, sql`t.attempts`)} AND (t.category::text <> ALL(${sweptArray()}) OR t.review_reason IS NOT NULL)`)
    : // A sweep past its attempts is queued all the same: taking it is what gives it up.
      engine.db.$queryRaw<{ id: number; abandoned: boolean }[]>(sql`
        SELECT s.id, coalesce(s.lease_until < now(), false) AS abandoned
        FROM purge_sweeps s JOIN purge_runs r ON r.id = s.run_id
        WHERE s.status IN ('PENDING', 'RUNNING') AND r.status = 'RUNNING' AND NOT r.opening`);
}

/**
 * Puts every open task and sweep of a running run, and every planning step
 * that may start, back on the queue if it lost its job (a crash between
 * finishing a slice or step and queueing the next), and ends runs whose
 * tasks have all ended. One whose worker died holding it (its lease ran
 * out, unreleased) is queued again at once: a crash is not a failure, so it
 * does not wait out the retry backoff.
 */
export async function reconcile(engine: Engine) {
  await engine.queue.expireStale();
  await queueRunnableSteps(engine);
  for (const kind of ["sweep", "task"] as const) {
    const open = await openWork(engine, kind);
    const abandoned = open.filter((t) => t.abandoned).map((t) => t.id);
    await engine.queue.enqueue(kind, [
      ...new Set([
        ...(await engine.queue.withoutJob(
          kind,
          open.map((t) => t.id),
        )),
        ...(await engine.queue.withoutJob(kind, abandoned, ["created"])),
      ]),
    ]);
  }
  const running = await engine.db.purgeRun.findMany({
    where: { status: "RUNNING" },
    select: { id: true },
  });
  for (const run of running) await endRunIfDone(engine, run.id);
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

/** Takes these jobs back from this worker and queues their work again, for any worker to take. */
async function queueAgain(engine: Engine, jobs: WorkJob[]) {
  await engine.queue.complete(jobs);
  for (const kind of ["task", "sweep", "step"] as const)
    await engine.queue.enqueue(
      kind,
      jobs.filter((j) => j.kind === kind).map((j) => j.id),
    );
}

/** Tells the queue what became of each job: done or let go, failed (retried with backoff), paused (queued again). */
async function tellQueue(
  engine: Engine,
  jobs: WorkJob[],
  outcomes: Map<number, WorkOutcome>,
  report: DrainReport,
) {
  const paused = jobs.filter((j) => outcomes.get(j.id)?.kind === "paused");
  const ended = jobs.filter((j) => !["failed", "paused"].includes(outcomes.get(j.id)?.kind ?? ""));
  await engine.queue.complete(ended);
  for (const job of jobs) {
    const outcome = outcomes.get(job.id);
    if (outcome?.kind === "done") report.jobsDone++;
    if (outcome?.kind === "failed") {
      report.failures++;
      await engine.queue.fail(job, outcome.error);
    }
  }
  report.paused += paused.length;
  await queueAgain(engine, paused);
}

/**
 * The runner of each kind of work, given the ids of its jobs (all of one
 * kind): what differs between tasks and sweeps is there.
 */
const RUNNERS = { task: runTasks, sweep: runSweeps, step: runSteps } as const;

/**
 * The next jobs for this worker: a sweep if one waits (the longest work
 * first, so that short tasks fill the end of a run), else a planning step
 * (a run waits for its plan), else a fetch of tasks. Kinds in `unfit` are
 * passed over.
 */
async function nextJobs(engine: Engine, unfit: ReadonlySet<WorkKind>): Promise<WorkJob[]> {
  if (!unfit.has("sweep")) {
    const sweeps = await engine.queue.next("sweep", 1);
    if (sweeps.length > 0) return sweeps;
  }
  if (!unfit.has("step")) {
    const steps = await engine.queue.next("step", 1);
    if (steps.length > 0) return steps;
  }
  if (unfit.has("task")) return [];
  const waiting = await engine.queue.waiting("task");
  return engine.queue.next(
    "task",
    Math.max(1, Math.min(TASKS_PER_FETCH, Math.ceil(waiting * SHARE_OF_WAITING))),
  );
}

/**
 * The jobs a drain paused at its deadline. Queued again, each comes round
 * behind the rest of its kind, which are tried meanwhile; the time left
 * only shrinks, so one that comes round is put back untried ("again").
 * Once one comes round a second time with nothing worked in between, no
 * job of its kind fits any more ("twice"), and the drain passes over the
 * kind rather than take the same jobs again and again, ahead of other
 * kinds of work, until the deadline.
 */
function pausedAtDeadline() {
  const keyOf = (job: WorkJob) => `${job.kind}:${job.id}`;
  const paused = new Set<string>();
  let sinceWorked = new Set<string>();
  return {
    cameRound(jobs: WorkJob[]): "fresh" | "again" | "twice" {
      const keys = jobs.map(keyOf);
      if (!keys.some((k) => paused.has(k))) return "fresh";
      const twice = keys.some((k) => sinceWorked.has(k));
      for (const k of keys) sinceWorked.add(k);
      return twice ? "twice" : "again";
    },
    worked(pausedJobs: WorkJob[]) {
      for (const job of pausedJobs) paused.add(keyOf(job));
      sinceWorked = new Set();
    },
  };
}

/**
 * Works queued tasks and sweeps until `deadline` (ms since epoch) or until
 * the queue has nothing this worker may take. Any number of these run side
 * by side, on any number of machines: the queue hands each task or sweep to
 * one at a time.
 */
export async function drain(engine: Engine, deadline: number): Promise<DrainReport> {
  const report: DrainReport = { jobsWorked: 0, jobsDone: 0, paused: 0, failures: 0 };
  await reconcile(engine);
  const sizes: BatchSizes = new Map();
  const paused = pausedAtDeadline();
  const unfit = new Set<WorkKind>();
  while (Date.now() < deadline - 500) {
    const jobs = await nextJobs(engine, unfit);
    if (jobs.length === 0) break;
    const kind = jobs[0]?.kind ?? "task";
    const round = paused.cameRound(jobs);
    if (round !== "fresh") {
      if (round === "twice") unfit.add(kind);
      await queueAgain(engine, jobs);
      continue;
    }
    report.jobsWorked += jobs.length;
    // The work never outlives the lease, so no other worker takes over a live task or sweep.
    const workDeadline = Math.min(deadline, Date.now() + engine.settings.leaseSeconds * 800);
    let outcomes: Map<number, WorkOutcome>;
    try {
      const run = RUNNERS[kind];
      outcomes = await run(
        engine,
        jobs.map((j) => j.id),
        workDeadline,
        sizes,
      );
    } catch (error) {
      const ids = jobs.map((j) => j.id);
      engine.log.error({ err: error, kind: jobs[0]?.kind, ids }, "jobs failed");
      report.failures += jobs.length;
      for (const job of jobs) await engine.queue.fail(job, error);
      continue;
    }
    await tellQueue(engine, jobs, outcomes, report);
    // Paused short of a lease-bound working deadline, a job fits the next one.
    paused.worked(
      workDeadline === deadline ? jobs.filter((j) => outcomes.get(j.id)?.kind === "paused") : [],
    );
  }
  return report;
}
