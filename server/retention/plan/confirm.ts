import type { Engine } from "../deps";
import { queueRunnableSteps } from "./step-queue";
import { openNow } from "./step-runner";
import { startRun, type ConfirmRequest } from "./start-run";

/**
 * Confirms a previewed plan (see startRun). The schedule's run opens step
 * by step with its deliveries; one an operator confirmed opens here and
 * now, so its tasks exist when this returns.
 */
export async function confirmPlan(
  engine: Engine,
  request: ConfirmRequest,
): Promise<{ runId: string }> {
  const { runId, trigger } = await startRun(engine, request);
  if (trigger === "CRON") await queueRunnableSteps(engine, request.planId);
  else await openNow(engine, request.planId);
  return { runId };
}
