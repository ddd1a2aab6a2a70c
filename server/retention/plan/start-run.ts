import { AppError } from "../../errors";
import { Prisma } from "../../generated/prisma/client";
import type { PurgeTrigger } from "../../generated/prisma/enums";
import { appendAudit, type Actor } from "../evidence/audit-log";
import type { Engine } from "../deps";
import { recordErasureApproval } from "../erasure/approval";
import { CATEGORY_LABELS } from "../categories/labels";
import type { Guardrails } from "./guardrails";
import { sql } from "../sql";
import { createSweeps } from "../run/sweeps/stretches";
import { onlyOrgOf } from "./scope";
import { createOpeningSteps } from "../run/opening";

export type ConfirmRequest = {
  planId: string;
  actor: Actor;
  /** What the operator typed where guardrails ask: the org's name or DELETE. */
  acknowledgement?: string | null;
  /** The run's unique key; defaults to one run per plan. */
  runKey?: string;
  /** Only the second admin's approval may start an erasure. */
  approvesErasure?: boolean;
};

function describeGuardrails(g: Guardrails) {
  const reasons = g.reasons.map((r) =>
    r.kind === "whole-fleet"
      ? "it covers every organization and every category"
      : `it takes ${Math.round(r.share * 100)}% of ${r.orgName}'s ${CATEGORY_LABELS[r.category].toLowerCase()}`,
  );
  if (g.moreShares)
    reasons.push(
      g.moreShares === 1
        ? "one more organization × category entry passes the same share"
        : `another ${g.moreShares} organization × category entries pass the same share`,
    );
  return reasons.join("; ");
}

/**
 * Starts the run of a previewed plan: exactly that plan, frozen, its run
 * opening (run/opening.ts) with its sweeps and its opening steps, which the
 * caller works or queues. Refuses an expired plan and an unacknowledged
 * guardrail. Confirming twice returns the run already started, never a
 * second one.
 */
export async function startRun(
  engine: Engine,
  request: ConfirmRequest,
): Promise<{ runId: string; trigger: PurgeTrigger }> {
  const plan = await engine.db.purgePlan.findUnique({
    where: { id: request.planId },
    include: { run: true },
  });
  if (!plan) throw new AppError("NOT_FOUND", `No preview ${request.planId}. Run a dry run first.`);
  if (plan.run) return { runId: plan.run.id, trigger: plan.trigger };
  if (plan.trigger === "ERASURE" && !request.approvesErasure) {
    throw new AppError(
      "FORBIDDEN",
      "An erasure starts only when a second admin approves its request.",
    );
  }
  const now = engine.now();
  if (plan.status === "DISCARDED") {
    throw new AppError(
      "PLAN_EXPIRED",
      "This preview was discarded: it can no longer be confirmed. Run a fresh dry run.",
    );
  }
  if (plan.status === "EXPIRED" || plan.expiresAt.getTime() < now.getTime()) {
    await engine.db.purgePlan.updateMany({
      where: { id: plan.id, status: "PREVIEWED" },
      data: { status: "EXPIRED" },
    });
    throw new AppError(
      "PLAN_EXPIRED",
      `This preview expired at ${plan.expiresAt.toISOString().slice(11, 16)} UTC (previews last ${engine.settings.planTtlMinutes} minutes). Run a fresh dry run.`,
    );
  }
  const guardrails = plan.guardrails as unknown as Guardrails;
  if (guardrails.reasons?.length && request.acknowledgement?.trim() !== guardrails.confirmPhrase) {
    throw new AppError(
      "GUARDRAIL",
      `This purge needs a second confirmation because ${describeGuardrails(guardrails)}. Type "${guardrails.confirmPhrase}" to confirm (by the API: send it as "acknowledgement").`,
      { confirmPhrase: guardrails.confirmPhrase },
    );
  }
  let runId: string;
  try {
    runId = await engine.db.$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<{ status: string }[]>(
          sql`SELECT status FROM purge_plans WHERE id = ${plan.id} FOR UPDATE`,
        );
        const status = locked[0]?.status;
        // Expired by the cleanup, or discarded, since it was read above.
        if (status === "EXPIRED" || status === "DISCARDED")
          throw new AppError(
            "PLAN_EXPIRED",
            `This preview ${status === "EXPIRED" ? "expired" : "was discarded"} meanwhile. Run a fresh dry run.`,
          );
        if (status !== "PREVIEWED")
          throw new AppError("CONFLICT", "This preview was already confirmed.");
        const run = await tx.purgeRun.create({
          data: {
            runKey: request.runKey ?? `plan:${plan.id}`,
            planId: plan.id,
            trigger: plan.trigger,
            startedById: request.actor === "system" ? null : request.actor.id,
            startedByTokenId: request.actor === "system" ? null : (request.actor.tokenId ?? null),
            itemsTotal: plan.itemCount,
            opening: true,
          },
        });
        const sweepIds = await createSweeps(tx, engine, run.id, plan.id);
        await createOpeningSteps(tx, plan.id, engine.settings.planStepOrgs);
        await tx.purgePlan.update({
          where: { id: plan.id },
          data: {
            status: "CONFIRMED",
            confirmedAt: now,
            confirmedById: request.actor === "system" ? null : request.actor.id,
          },
        });
        if (plan.erasureId)
          await recordErasureApproval(tx, {
            erasureId: plan.erasureId,
            runId: run.id,
            planId: plan.id,
            items: plan.itemCount,
            actor: request.actor,
          });
        const tasks = await tx.planEntry.count({ where: { planId: plan.id } });
        await appendAudit(tx, {
          actor: request.actor,
          action: "purge.confirmed",
          orgId: onlyOrgOf(plan.scope),
          target: `run:${run.id}`,
          details: {
            plan: plan.id,
            trigger: plan.trigger,
            tasks,
            sweeps: sweepIds.length,
            items: plan.itemCount,
            acknowledged: guardrails.reasons?.length > 0,
          },
        });
        return run.id;
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  } catch (error) {
    // Two confirmations racing (same plan, or same run key): the loser joins the winner's run.
    const raced =
      (error instanceof AppError && error.code === "CONFLICT") ||
      (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002");
    if (raced) {
      const existing = await engine.db.purgeRun.findFirst({
        where: {
          OR: [{ planId: plan.id }, ...(request.runKey ? [{ runKey: request.runKey }] : [])],
        },
      });
      if (existing) return { runId: existing.id, trigger: plan.trigger };
    }
    throw error;
  }
  engine.log.info(
    { runId, planId: plan.id, trigger: plan.trigger, items: plan.itemCount },
    "run started",
  );
  return { runId, trigger: plan.trigger };
}
