import type { RetentionCategory } from "../server/generated/prisma/enums";
import type { Actor } from "../server/retention/evidence/audit-log";
import { confirmPlan } from "../server/retention/plan/confirm";
import type { Engine } from "../server/retention/deps";
import type { Guardrails } from "../server/retention/plan/guardrails";
import { previewPurge } from "../server/retention/plan/preview";
import { workToEnd } from "./engine";

/** Confirms a plan, acknowledging whatever guardrail it raised (not what these tests are about). */
export async function confirmAcknowledged(engine: Engine, planId: string, actor: Actor = "system") {
  const plan = await engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
  const guardrails = plan.guardrails as unknown as Guardrails;
  const { runId } = await confirmPlan(engine, {
    planId,
    actor,
    acknowledgement: guardrails.confirmPhrase,
  });
  return { plan, runId };
}

/** Dry run, confirm (acknowledging any guardrail) and work the run to its end. */
export async function purge(
  engine: Engine,
  scope: { orgIds: number[] | null; categories: RetentionCategory[] | null },
  actor: Actor = "system",
  settling: { timeoutMs?: number; workers?: number } = {},
) {
  const planId = await previewPurge(engine, { scope, trigger: "OPERATOR", actor });
  const { plan, runId } = await confirmAcknowledged(engine, planId, actor);
  const run = await workToEnd(engine, runId, settling.timeoutMs, settling.workers);
  return { planId, plan, run };
}
