import type { Engine } from "../deps";
import type { RunStatus } from "../../generated/prisma/enums";
import { appendAudit } from "../evidence/audit-log";
import { anchorAuditChain } from "../evidence/audit-anchors";
import { endErasure } from "../erasure/outcome";
import { takeSnapshot, type StoredChange } from "../evidence/storage-snapshots";
import { sql, type Tx } from "../sql";
import { sums } from "./progress";
import { markDirty, runPairs } from "../forecast/dirty-pairs";
import { onlyOrgOf } from "../plan/scope";

/**
 * Ends the run once it is open (see opening.ts) and no task is open; one
 * whose opening gave up on a range of orgs ends PARTIAL. The run row is locked first (not its
 * key: batches still insert manifest rows that reference it), so two
 * tasks ending at the same moment cannot both see the other one open: a
 * batch ends its tasks without this lock, and calls this after its commit.
 * Returns how it ended, or null while tasks remain.
 */
export async function endRunIfDoneIn(tx: Tx, runId: string): Promise<RunEnd | null> {
  const [run] = await tx.$queryRaw<
    {
      status: RunStatus;
      plan_id: string;
      scope: unknown;
      opening: boolean;
      unopened: boolean;
    }[]
  >(sql`
    SELECT r.status, r.plan_id, p.scope, r.opening,
           EXISTS (SELECT 1 FROM plan_steps s
                   WHERE s.plan_id = r.plan_id AND s.kind = 'TASKS' AND s.status = 'FAILED') AS unopened
    FROM purge_runs r JOIN purge_plans p ON p.id = r.plan_id
    WHERE r.id = ${runId} FOR NO KEY UPDATE OF r`);
  if (!run || run.status !== "RUNNING" || run.opening) return null;
  // One index probe, so a run with many tasks left is not summed whole.
  const [open] = await tx.$queryRaw<{ any: boolean }[]>(sql`
    SELECT EXISTS (SELECT 1 FROM purge_tasks WHERE run_id = ${runId} AND status IN ('PENDING', 'RUNNING')) AS any`);
  if (open?.any) return null;
  const s = await sums(tx, runId);
  const status: RunStatus =
    s.total > 0 && s.failed_tasks === s.total
      ? "FAILED"
      : s.failed_tasks > 0 || s.failed > 0n || s.awaiting_review > 0 || run.unopened
        ? "PARTIAL"
        : "SUCCEEDED";
  await tx.purgeRun.update({
    where: { id: runId },
    data: {
      status,
      finishedAt: new Date(),
      deleted: s.deleted,
      skipped: s.skipped,
      failed: s.failed,
      bytesFreed: s.bytes,
    },
  });
  await endErasure(tx, runId, {
    status,
    deleted: s.deleted,
    skipped: s.skipped,
    failed: s.failed,
  });
  // What it deleted is no longer due.
  await markDirty(tx, runPairs(runId));
  const outcome = {
    status,
    tasks: s.total,
    failedTasks: s.failed_tasks,
    ...(s.awaiting_review > 0 ? { awaitingReview: s.awaiting_review } : {}),
    deleted: s.deleted,
    skipped: s.skipped,
    failed: s.failed,
    bytesFreed: s.bytes,
  };
  await appendAudit(tx, {
    actor: "system",
    action: "purge.finished",
    orgId: onlyOrgOf(run.scope),
    target: `run:${runId}`,
    details: outcome,
  });
  await anchorAuditChain(tx, runId);
  const [changed] = await tx.$queryRaw<StoredChange[]>(sql`
    SELECT coalesce(array_agg(DISTINCT org_id), '{}') AS "orgIds",
           coalesce(array_agg(DISTINCT category), '{}') AS categories
    FROM (${runPairs(runId)}) touched`);
  return {
    runId,
    planId: run.plan_id,
    ...outcome,
    changed: changed ?? { orgIds: [], categories: [] },
  };
}

/** How a run ended, and the orgs and categories whose stored totals it changed. */
export type RunEnd = {
  runId: string;
  planId: string;
  status: RunStatus;
  tasks: number;
  failedTasks: number;
  /** Tasks the guard paused, not reviewed yet: the run is PARTIAL until they are. */
  awaitingReview?: number;
  deleted: bigint;
  skipped: bigint;
  failed: bigint;
  bytesFreed: bigint;
  changed: StoredChange;
};

/**
 * After the transaction that ended a run: says so, and takes today's
 * snapshot of what it changed, so the Overview shows what is left.
 */
export async function afterRunEnd(engine: Engine, end: RunEnd | null) {
  if (!end) return;
  const { changed, ...run } = end;
  engine.log.info(run, "run ended");
  await takeSnapshot(engine.db, new Date(), changed);
}

/** Ends the run if its last task has ended (see endRunIfDoneIn). */
export async function endRunIfDone(engine: Engine, runId: string) {
  await afterRunEnd(engine, await engine.db.$transaction((tx) => endRunIfDoneIn(tx, runId)));
}
