import type { Db } from "../db";
import type { PurgeTrigger, RunStatus } from "../generated/prisma/enums";
import { appendAudit } from "./audit";
import { anchorAuditChain } from "./audit-anchor";
import { settleErasure } from "./erasure-outcome";
import { takeSnapshot, type StoredChange } from "./inventory";
import { sql, type Tx } from "./sql";
import { markForecastStale } from "./forecast-snapshot";

type TaskSums = {
  open: number;
  failed_tasks: number;
  total: number;
  eligible: bigint;
  deleted: bigint;
  skipped: bigint;
  failed: bigint;
  bytes: bigint;
};

/**
 * The run's tasks summed, with what its open sweeps did so far: a sweep's
 * counts move to its orgs' tasks when it ends, in the same transaction.
 */
async function sums(tx: Tx | Db, runId: string) {
  const [row] = await tx.$queryRaw<TaskSums[]>(sql`
    WITH sweeping AS (
      SELECT coalesce(sum(deleted), 0) AS deleted, coalesce(sum(skipped), 0) AS skipped,
             coalesce(sum(failed), 0) AS failed, coalesce(sum(bytes_freed), 0) AS bytes
      FROM purge_sweeps WHERE run_id = ${runId} AND status IN ('PENDING', 'RUNNING'))
    SELECT count(*) FILTER (WHERE status IN ('PENDING', 'RUNNING'))::int AS open,
           count(*) FILTER (WHERE status = 'FAILED')::int AS failed_tasks,
           count(*)::int AS total,
           coalesce(sum(eligible), 0)::bigint AS eligible,
           (coalesce(sum(t.deleted), 0) + (SELECT deleted FROM sweeping))::bigint AS deleted,
           (coalesce(sum(t.skipped), 0) + (SELECT skipped FROM sweeping))::bigint AS skipped,
           (coalesce(sum(t.failed), 0) + (SELECT failed FROM sweeping))::bigint AS failed,
           (coalesce(sum(t.bytes_freed), 0) + (SELECT bytes FROM sweeping))::bigint AS bytes
    FROM purge_tasks t WHERE run_id = ${runId}`);
  if (!row) throw new Error(`No totals for run ${runId}`);
  return row;
}

/**
 * Ends the run once no task is open. The run row is locked first (not its
 * key: batches still insert manifest rows that reference it), so two
 * tasks ending at the same moment cannot both see the other one open: a
 * batch ends its tasks without this lock, and calls this after its commit.
 * Returns the orgs and categories whose stored totals changed, or null while tasks remain.
 */
export async function finalizeRunIfDone(tx: Tx, runId: string): Promise<StoredChange | null> {
  const [run] = await tx.$queryRaw<{ status: RunStatus; trigger: PurgeTrigger }[]>(sql`
    SELECT status, trigger FROM purge_runs WHERE id = ${runId} FOR NO KEY UPDATE`);
  if (!run || run.status !== "RUNNING") return null;
  // One index probe, so a run with many tasks left is not summed whole.
  const [open] = await tx.$queryRaw<{ any: boolean }[]>(sql`
    SELECT EXISTS (SELECT 1 FROM purge_tasks WHERE run_id = ${runId} AND status IN ('PENDING', 'RUNNING')) AS any`);
  if (open?.any) return null;
  const s = await sums(tx, runId);
  const status: RunStatus =
    s.total > 0 && s.failed_tasks === s.total
      ? "FAILED"
      : s.failed_tasks > 0 || s.failed > 0n
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
  await settleErasure(tx, runId, {
    status,
    deleted: s.deleted,
    skipped: s.skipped,
    failed: s.failed,
  });
  // What it deleted is no longer due.
  await markForecastStale(tx);
  await appendAudit(tx, {
    actor: "system",
    action: "purge.finished",
    target: `run:${runId}`,
    details: {
      status,
      tasks: s.total,
      failedTasks: s.failed_tasks,
      deleted: s.deleted,
      skipped: s.skipped,
      failed: s.failed,
      bytesFreed: s.bytes,
    },
  });
  if (run.trigger === "CRON") await anchorAuditChain(tx, runId);
  const [changed] = await tx.$queryRaw<StoredChange[]>(sql`
    SELECT coalesce(array_agg(DISTINCT org_id), '{}') AS "orgIds",
           coalesce(array_agg(DISTINCT category::text), '{}') AS categories
    FROM purge_tasks WHERE run_id = ${runId} AND deleted > 0`);
  return changed ?? { orgIds: [], categories: [] };
}

/** Ends the run if its last task has ended, then snapshots the orgs it changed. */
export async function finalizeRun(db: Db, runId: string) {
  const changed = await db.$transaction((tx) => finalizeRunIfDone(tx, runId));
  if (changed) await refreshSnapshots(db, changed);
}

/** After a run ends: today's snapshot of what it changed, so the Overview shows what is left. */
export async function refreshSnapshots(db: Db, changed: StoredChange) {
  await takeSnapshot(db, new Date(), changed);
}

export type RunProgress = {
  id: string;
  runKey: string;
  planId: string;
  trigger: string;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  tasks: { total: number; open: number; failed: number };
  eligible: bigint;
  deleted: bigint;
  skipped: bigint;
  failed: bigint;
  bytesFreed: bigint;
  /** 0..1: items settled (deleted, skipped or failed) out of the plan's items. */
  fraction: number;
};

/** A run's progress, readable while it works: summed from its tasks' counters. */
export async function runProgress(db: Db, runId: string): Promise<RunProgress | null> {
  const run = await db.purgeRun.findUnique({ where: { id: runId } });
  if (!run) return null;
  const s = await sums(db, runId);
  const settled = s.deleted + s.skipped + s.failed;
  return {
    id: run.id,
    runKey: run.runKey,
    planId: run.planId,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    tasks: { total: s.total, open: s.open, failed: s.failed_tasks },
    eligible: s.eligible,
    deleted: s.deleted,
    skipped: s.skipped,
    failed: s.failed,
    bytesFreed: s.bytes,
    fraction:
      s.eligible > 0n
        ? Math.min(1, Number(settled) / Number(s.eligible))
        : run.status === "RUNNING"
          ? 0
          : 1,
  };
}
