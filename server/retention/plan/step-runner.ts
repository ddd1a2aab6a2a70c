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
import { confirmPlan } from "./confirm";
import type { Guardrails } from "./entries";
import { afterPlanned, type Finished } from "./finish";
import { queueRunnableSteps, waitsSql } from "./step-queue";
import { fitStep } from "./step-fit";
import { workStep } from "./steps";

/**
 * A step that failed: counted with its error and let go of. Past the give-up
 * rule its planning fails: the plan is discarded (its day's key freed, so a
 * later delivery plans the day again) and the cleanup removes what it wrote.
 */
async function recordStepFailure(engine: Engine, stepId: number, error: unknown) {
  const [step] = await engine.db.$queryRaw<{ plan_id: string; gave_up: boolean }[]>(sql`
    UPDATE plan_steps s SET ${countAttempt(sql`s`, sql`${errorText(error)}`)},
                            lease_owner = NULL, lease_until = NULL,
                            status = CASE WHEN ${givesUpSql(engine, sql`s.attempts + 1`)} THEN 'FAILED'::"TaskStatus" ELSE s.status END
    WHERE id = ${stepId} AND status IN ('PENDING', 'RUNNING') RETURNING plan_id, status = 'FAILED' AS gave_up`);
  const log = engine.log.child({ planId: step?.plan_id, stepId });
  log.error({ err: error }, "planning step failed");
  if (!step?.gave_up) return;
  await engine.db.$executeRaw(sql`
    UPDATE purge_plans SET status = 'DISCARDED', discarded_at = now(), plan_key = NULL
    WHERE id = ${step.plan_id} AND status = 'PLANNING'`);
  log.error({}, "planning failed");
}

/** The daily run's plan, planned: the schedule confirms it as the day's run. */
export async function confirmDaily(engine: Engine, planId: string, runKey: string) {
  const plan = await engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
  // The schedule is the second confirmation of its own fleet-wide plan.
  const phrase = (plan.guardrails as unknown as Guardrails).confirmPhrase;
  return confirmPlan(engine, { planId, actor: "system", acknowledgement: phrase, runKey });
}

async function afterStep(engine: Engine, planId: string, finished: Finished | null) {
  if (!finished) return queueRunnableSteps(engine, planId);
  await afterPlanned(engine, planId, finished.items);
  if (finished.daily) await confirmDaily(engine, planId, finished.daily.runKey);
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
    // A waiting step is queued again when the step it waits for is done.
    return { kind: result.why === "busy" ? "busy" : "gone" };
  }
  await afterStep(engine, result.planId, result.finished);
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
 * Works a plan's steps here and now, in order, until its planning is done:
 * for callers that need the plan written before they go on. Steps another
 * worker holds are waited for.
 */
export async function planNow(engine: Engine, planId: string) {
  for (;;) {
    const [next] = await engine.db.$queryRaw<{ id: number | null; status: string }[]>(sql`
      SELECT p.status, (SELECT s.id FROM plan_steps s
        WHERE s.plan_id = p.id AND s.status IN ('PENDING', 'RUNNING') AND NOT ${waitsSql(sql`s`)}
        ORDER BY s.id LIMIT 1) AS id
      FROM purge_plans p WHERE p.id = ${planId}`);
    if (next?.status !== "PLANNING") {
      if (next?.status === "DISCARDED")
        throw new AppError("CONFLICT", `Planning of ${planId} failed or was cancelled.`);
      return;
    }
    const outcome =
      next.id === null ? null : (await runSteps(engine, [next.id], Infinity)).get(next.id);
    if (outcome?.kind !== "done") await sleep(outcome?.kind === "failed" ? 0 : 100);
  }
}
