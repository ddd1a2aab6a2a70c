import type { Db } from "../../db";
import type { RunStatus } from "../../generated/prisma/enums";
import { ARCHIVING_CATEGORIES, type ActionCounts } from "../categories/actions";
import { sql, type Tx } from "../sql";

type TaskSums = {
  open: number;
  failed_tasks: number;
  awaiting_review: number;
  total: number;
  eligible: bigint;
  deleted: bigint;
  archived: bigint;
  skipped: bigint;
  failed: bigint;
  bytes: bigint;
};

/**
 * The run's tasks summed, with what its open sweeps did so far: a sweep's
 * counts move to its orgs' tasks when it ends, in the same transaction.
 */
export async function sums(tx: Tx | Db, runId: string) {
  const [row] = await tx.$queryRaw<TaskSums[]>(sql`
    WITH sweeping AS (
      SELECT coalesce(sum(deleted), 0) AS deleted, coalesce(sum(skipped), 0) AS skipped,
             coalesce(sum(failed), 0) AS failed, coalesce(sum(bytes_freed), 0) AS bytes
      FROM purge_sweeps WHERE run_id = ${runId} AND status IN ('PENDING', 'RUNNING'))
    SELECT count(*) FILTER (WHERE status IN ('PENDING', 'RUNNING'))::int AS open,
           count(*) FILTER (WHERE status = 'FAILED')::int AS failed_tasks,
           count(*) FILTER (WHERE status = 'NEEDS_REVIEW')::int AS awaiting_review,
           count(*)::int AS total,
           coalesce(sum(eligible), 0)::bigint AS eligible,
           (coalesce(sum(t.deleted), 0) + (SELECT deleted FROM sweeping))::bigint AS deleted,
           -- Never swept: an archiving category edits its rows.
           coalesce(sum(t.deleted) FILTER (
             WHERE t.category::text = ANY(${ARCHIVING_CATEGORIES}::text[])), 0)::bigint AS archived,
           (coalesce(sum(t.skipped), 0) + (SELECT skipped FROM sweeping))::bigint AS skipped,
           (coalesce(sum(t.failed), 0) + (SELECT failed FROM sweeping))::bigint AS failed,
           (coalesce(sum(t.bytes_freed), 0) + (SELECT bytes FROM sweeping))::bigint AS bytes
    FROM purge_tasks t WHERE run_id = ${runId}`);
  if (!row) throw new Error(`No totals for run ${runId}`);
  return row;
}

export type RunProgress = {
  id: string;
  runKey: string;
  planId: string;
  trigger: string;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  /** awaitingReview: tasks the guard paused that no admin has reviewed yet. */
  tasks: { total: number; open: number; failed: number; awaitingReview: number };
  eligible: bigint;
  deleted: bigint;
  skipped: bigint;
  failed: bigint;
  bytesFreed: bigint;
  /** What became of the items `deleted` counts: deleted, or only archived. */
  actions: ActionCounts;
  /** While the run opens (see opening.ts): its ranges of orgs, and how many have their tasks. */
  opening: { ranges: number; opened: number } | null;
  /** 0..1: items settled (deleted, skipped or failed) out of the plan's items. */
  fraction: number;
};

/** A run that opens: how many of its ranges of orgs have their tasks (or gave up), and its plan's items. */
async function openingOf(db: Db, planId: string) {
  const [row] = await db.$queryRaw<{ ranges: number; opened: number; items: bigint }[]>(sql`
    SELECT count(s.id)::int AS ranges,
           count(s.id) FILTER (WHERE s.status IN ('SUCCEEDED', 'FAILED'))::int AS opened,
           p.item_count AS items
    FROM purge_plans p LEFT JOIN plan_steps s ON s.plan_id = p.id AND s.kind = 'TASKS'
    WHERE p.id = ${planId} GROUP BY p.item_count`);
  return row ? { ranges: row.ranges, opened: row.opened, items: BigInt(row.items) } : null;
}

/** A run's progress, readable while it works: summed from its tasks' counters. */
export async function runProgress(db: Db, runId: string): Promise<RunProgress | null> {
  const run = await db.purgeRun.findUnique({ where: { id: runId } });
  if (!run) return null;
  const s = await sums(db, runId);
  const settled = s.deleted + s.skipped + s.failed;
  const opening = run.opening ? await openingOf(db, run.planId) : null;
  // While it opens, only some of its tasks exist: measured against them, the bar would run back as more are written.
  const whole = opening && opening.items > s.eligible ? opening.items : s.eligible;
  return {
    id: run.id,
    runKey: run.runKey,
    planId: run.planId,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    tasks: {
      total: s.total,
      open: s.open,
      failed: s.failed_tasks,
      awaitingReview: s.awaiting_review,
    },
    eligible: s.eligible,
    deleted: s.deleted,
    skipped: s.skipped,
    failed: s.failed,
    bytesFreed: s.bytes,
    actions: { deletes: s.deleted - s.archived, archives: s.archived },
    opening: opening && { ranges: opening.ranges, opened: opening.opened },
    fraction:
      whole > 0n ? Math.min(1, Number(settled) / Number(whole)) : run.status === "RUNNING" ? 0 : 1,
  };
}
