import type { Db } from "../../db";
import type { PurgeTrigger, RunStatus } from "../../generated/prisma/enums";
import { appendAudit } from "../evidence/audit-log";
import { anchorAuditChain } from "../evidence/audit-anchors";
import { settleErasure } from "../erasure/outcome";
import { takeSnapshot, type StoredChange } from "../evidence/storage-snapshots";
import { sql, type Tx } from "../sql";
import { sums } from "./progress";
import { markForecastStale } from "../forecast/snapshot";

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
