import type { Db } from "../db";
import { AppError } from "../errors";
import type { PurgeTrigger, RunStatus } from "../generated/prisma/enums";
import { ARCHIVING_CATEGORIES } from "../retention/categories/actions";
import { scopeView } from "../retention/erasure/scope";
import { runProgress } from "../retention/run/progress";
import { guardBasis } from "../retention/guard/pause";
import { actorLabels, purgeActor } from "../retention/evidence/actor-label";
import { heldOutOrgs } from "./held-out";
import { runScope } from "./run-scope";

/** Purge runs, newest first, with their totals (a running run's totals come from its tasks). */
export async function listRuns(
  db: Db,
  filter: { trigger?: PurgeTrigger; status?: RunStatus; offset: number; limit: number },
) {
  const where = { trigger: filter.trigger, status: filter.status };
  const [total, runs] = await Promise.all([
    db.purgeRun.count({ where }),
    db.purgeRun.findMany({
      where,
      orderBy: { startedAt: "desc" },
      skip: filter.offset,
      take: filter.limit,
      include: { plan: { select: { scope: true } } },
    }),
  ]);
  const actors = runs.map((run) =>
    purgeActor({ trigger: run.trigger, userId: run.startedById, tokenId: run.startedByTokenId }),
  );
  const [label, scopes] = await Promise.all([
    actorLabels(db, actors),
    runScope(
      db,
      runs.map((r) => ({ id: r.planId, scope: r.plan.scope })),
    ),
  ]);
  const rows = [];
  for (const [i, run] of runs.entries()) {
    const live = run.status === "RUNNING" ? await runProgress(db, run.id) : null;
    rows.push({
      id: run.id,
      runKey: run.runKey,
      trigger: run.trigger,
      startedBy: label(actors[i] ?? { kind: "system" }),
      scope: scopes[i] ?? null,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
      itemsTotal: run.itemsTotal,
      deleted: live?.deleted ?? run.deleted,
      skipped: live?.skipped ?? run.skipped,
      failed: live?.failed ?? run.failed,
      bytesFreed: live?.bytesFreed ?? run.bytesFreed,
    });
  }
  return { total, runs: rows };
}

/** One run: progress, its org × category tasks with their counts and errors, and its sweeps. */
export async function runDetail(
  db: Db,
  runId: string,
  page: { offset: number; limit: number; onlyProblems?: boolean },
) {
  const progress = await runProgress(db, runId);
  if (!progress) throw new AppError("NOT_FOUND", `No purge run ${runId}.`);
  const where = {
    runId,
    ...(page.onlyProblems
      ? {
          OR: [
            { status: { in: ["FAILED" as const, "NEEDS_REVIEW" as const] } },
            { failed: { gt: 0 } },
            { skipped: { gt: 0 } },
          ],
        }
      : {}),
  };
  const [taskCount, tasks] = await Promise.all([
    db.purgeTask.count({ where }),
    db.purgeTask.findMany({
      where,
      orderBy: [{ bytesFreed: "desc" }, { id: "asc" }],
      skip: page.offset,
      take: page.limit,
    }),
  ]);
  const orgs = await db.organization.findMany({
    where: { id: { in: [...new Set(tasks.map((t) => t.orgId))] } },
    select: { id: true, name: true },
  });
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  const sweeps = await db.purgeSweep.findMany({ where: { runId }, orderBy: { id: "asc" } });
  const skipReasons = await db.planItemSetAside.groupBy({
    by: ["category", "reason"],
    where: { planId: progress.planId },
    _count: true,
    orderBy: [{ category: "asc" }, { _count: { reason: "desc" } }],
    take: 50,
  });
  const [{ erasureId, scope }, started] = await Promise.all([
    db.purgePlan.findUniqueOrThrow({
      where: { id: progress.planId },
      select: { erasureId: true, scope: true },
    }),
    db.purgeRun.findUniqueOrThrow({
      where: { id: runId },
      select: { trigger: true, startedById: true, startedByTokenId: true, startedAt: true },
    }),
  ]);
  const startedBy = purgeActor({
    trigger: started.trigger,
    userId: started.startedById,
    tokenId: started.startedByTokenId,
  });
  const [label, [runScopeView], heldOut, guard] = await Promise.all([
    actorLabels(db, [startedBy]),
    runScope(db, [{ id: progress.planId, scope }]),
    heldOutOrgs(db, progress.planId),
    started.trigger === "CRON" ? guardBasis(db, { id: runId, startedAt: started.startedAt }) : null,
  ]);
  const erasure = erasureId
    ? await db.erasureRequest.findUnique({ where: { id: erasureId } })
    : null;
  return {
    progress,
    startedBy: label(startedBy),
    scope: runScopeView ?? null,
    /** The orgs of its scope an org-wide legal hold left out of its plan. */
    heldOut,
    /** A daily run's: what the guard weighed its volumes against (null for any other run). */
    guard,
    /**
     * The GDPR erasure this run carries out, with its scope exactly as
     * requested and its outcome: what a legal hold kept was never in the
     * run's plan, so only the request says it.
     */
    erasure: erasure
      ? {
          id: erasure.id,
          scope: scopeView(erasure),
          status: erasure.status,
          incompleteReason: erasure.incompleteReason,
          /** Approved again after an incomplete run: the outcome is its later run's. */
          carriedOn: erasure.runId !== runId,
        }
      : null,
    taskCount,
    tasks: tasks.map((t) => ({
      id: t.id,
      orgId: t.orgId,
      orgName: names.get(t.orgId) ?? `org ${t.orgId}`,
      plan: t.plan,
      category: t.category,
      status: t.status,
      eligible: t.eligible,
      /** Its category archives what it takes (prompts): its "deleted" items were archived. */
      archives: ARCHIVING_CATEGORIES.includes(t.category),
      deleted: t.deleted,
      skipped: t.skipped,
      failed: t.failed,
      bytesFreed: t.bytesFreed,
      batches: t.batches,
      longestBatchMs: t.longestBatchMs,
      attempts: t.attempts,
      lastError: t.lastError,
    })),
    sweeps: sweeps.map((w) => ({
      id: w.id,
      category: w.category,
      status: w.status,
      // Plan item ids of a stretch run nearly without gaps: the share of ids is the share of items.
      settled:
        w.lastItem < w.firstItem
          ? 1
          : Number(w.settledThrough - w.firstItem + 1n) / Number(w.lastItem - w.firstItem + 1n),
      deleted: w.deleted,
      skipped: w.skipped,
      failed: w.failed,
      bytesFreed: w.bytesFreed,
      batches: w.batches,
      longestBatchMs: w.longestBatchMs,
      lastError: w.lastError,
    })),
    skipReasons: skipReasons.map((r) => ({
      category: r.category,
      reason: r.reason,
      count: r._count,
    })),
  };
}
