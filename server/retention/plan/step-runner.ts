import { AppError } from "../../errors";
import type { Engine } from "../deps";
import {
  claim,
  countAttempt,
  errorText,
  givesUpSql,
  release,
  type WorkOutcome,
} from "../run/leases";
import { withRetries } from "../run/pacing";
import { sql } from "../sql";
import { startRun } from "./start-run";
import { afterOpening } from "../run/opening";
import type { Guardrails } from "./guardrails";
import { afterPlanned } from "./finish";
import { cleanUpPreviews } from "./preview-cleanup";
import { queueRunnableSteps, waitsSql } from "./step-queue";
import { fitStep } from "./step-fit";
import { workStep, type AfterStep } from "./steps";

/**
 * A step that failed: counted with its error and let go of. Past the give-up
 * rule a planning step fails its planning: the plan is discarded (its day's
 * key freed, so a later delivery plans the day again) and the cleanup
 * removes what it wrote. An opening step's run has started: a range of
 * orgs that gives up is left without tasks (the run ends PARTIAL), and the
 * opening's end is retried until it ends the opening.
 */
async function recordStepFailure(engine: Engine, stepId: number, error: unknown) {
  const [step] = await engine.db.$queryRaw<
    { plan_id: string; kind: string; gave_up: boolean }[]
  >(sql`
    UPDATE plan_steps s SET ${countAttempt(sql`s`, sql`${errorText(error)}`)},
                            lease_owner = NULL, lease_until = NULL,
                            status = CASE WHEN s.kind <> 'OPEN' AND ${givesUpSql(engine, sql`s.attempts + 1`)} THEN 'FAILED'::"TaskStatus" ELSE s.status END
    WHERE id = ${stepId} AND status IN ('PENDING', 'RUNNING') RETURNING plan_id, kind::text, status = 'FAILED' AS gave_up`);
  const log = engine.log.child({ planId: step?.plan_id, stepId, kind: step?.kind });
  log.error({ err: error }, "step failed");
  if (!step?.gave_up) return;
  if (step.kind === "TASKS") {
    await queueRunnableSteps(engine, step.plan_id);
    log.error({}, "opening gave up on a range of orgs: the run will end PARTIAL");
    return;
  }
  await engine.db.$executeRaw(sql`
    UPDATE purge_plans SET status = 'DISCARDED', discarded_at = now(), plan_key = NULL
    WHERE id = ${step.plan_id} AND status = 'PLANNING'`);
  log.error({}, "planning failed");
}

/**
 * The daily run's plan, planned: the schedule confirms it as the day's run,
 * which opens step by step with the deliveries.
 */
export async function confirmDaily(engine: Engine, planId: string, runKey: string) {
  const plan = await engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
  // The schedule is the second confirmation of its own fleet-wide plan.
  const phrase = (plan.guardrails as unknown as Guardrails).confirmPhrase;
  const { runId } = await startRun(engine, {
    planId,
    actor: "system",
    acknowledgement: phrase,
    runKey,
  });
  await queueRunnableSteps(engine, planId);
  return { runId };
}

async function afterStep(engine: Engine, planId: string, after: AfterStep) {
  if (after.kind === "opened") await afterOpening(engine, after.opened);
  else if (after.finished) {
    await afterPlanned(engine, planId, after.finished.items);
    if (after.finished.daily) await confirmDaily(engine, planId, after.finished.daily.runKey);
    return;
  }
  await queueRunnableSteps(engine, planId);
}

/** Works one step this worker claimed; what became of it. */
async function workClaimed(engine: Engine, stepId: number): Promise<WorkOutcome> {
  let result: Awaited<ReturnType<typeof workStep>>;
  try {
    result = await withRetries(() => workStep(engine, stepId));
  } catch (error) {
    await recordStepFailure(engine, stepId, error);
    return { kind: "failed", error };
  }
  if (!result.done) {
    await release(engine, "step", [stepId]);
    // Its plan was cancelled while this step held its row, which the
    // cancellation's cleanup had to pass by: the step's row goes now.
    if (result.why === "cancelled")
      await cleanUpPreviews(engine, { deadline: Date.now() + 10_000, planIds: [result.planId] });
    // A waiting step is queued again when the step it waits for is done.
    return { kind: result.why === "busy" ? "busy" : "gone" };
  }
  await afterStep(engine, result.planId, result.after);
  return { kind: "done" };
}

/** The queue's runner of planning steps: one at a time, each only if it fits the deadline. */
export async function runSteps(engine: Engine, ids: number[], deadline: number) {
  const outcomes = new Map<number, WorkOutcome>();
  for (const id of ids) {
    if (!(await fitStep(engine, id, deadline))) {
      outcomes.set(id, { kind: "paused" });
      continue;
    }
    const { claimed, unclaimed } = await claim(engine, "step", [id]);
    outcomes.set(
      id,
      claimed.has(id) ? await workClaimed(engine, id) : (unclaimed.get(id) ?? { kind: "gone" }),
    );
  }
  return outcomes;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Works a plan's steps here and now, in order, until its planning is done
 * (or its run's opening): for callers that need the plan written, or the
 * run's tasks, before they go on. Workers may take the same steps from the
 * queue meanwhile: this one passes by those they hold, and waits only when
 * none is left that it may take.
 */
async function workNow(engine: Engine, planId: string, until: "planned" | "opened") {
  for (;;) {
    const [next] = await engine.db.$queryRaw<
      { id: number | null; status: string; opening: boolean | null }[]
    >(sql`
      SELECT p.status, r.opening, (SELECT s.id FROM plan_steps s
        WHERE s.plan_id = p.id AND s.status IN ('PENDING', 'RUNNING') AND NOT ${waitsSql(sql`s`)}
          AND coalesce(s.lease_until < now() OR s.lease_owner = ${engine.workerId}, true)
        ORDER BY s.id LIMIT 1) AS id
      FROM purge_plans p LEFT JOIN purge_runs r ON r.plan_id = p.id WHERE p.id = ${planId}`);
    if (!next || (until === "planned" ? next.status !== "PLANNING" : !next.opening)) {
      if (next?.status === "DISCARDED")
        throw new AppError("CONFLICT", `Planning of ${planId} failed or was cancelled.`);
      return;
    }
    const outcome =
      next.id === null ? null : (await runSteps(engine, [next.id], Infinity)).get(next.id);
    // Its job, queued for a worker, would only find it done: a worker taking thousands of
    // those after a large plan is seconds of no-ops ahead of real work.
    if (next.id !== null && (outcome?.kind === "done" || outcome?.kind === "gone"))
      await engine.queue.drop("step", [next.id]);
    // An opening that failed here is left to the queue's retries: the run has started.
    if (outcome?.kind === "failed" && until === "opened") throw outcome.error;
    if (outcome?.kind !== "done") await sleep(outcome?.kind === "failed" ? 0 : 25);
  }
}

/** Works a plan's planning here and now (see workNow). */
export const planNow = (engine: Engine, planId: string) => workNow(engine, planId, "planned");

/** Works a confirmed plan's run's opening here and now (see workNow). */
export const openNow = (engine: Engine, planId: string) => workNow(engine, planId, "opened");
