import type { SetAside } from "./tasks/purge-items";
import { sql, type Sql, type Tx } from "../sql";

/** What a batch did, as `purgeNextBatch` reports it: the tasks it ended, its items, its time in S3. */
export type Advanced = { finished: number[]; items: number; storeMs: number };

/** Writes why the batch passed these items by, on their manifest rows. */
export async function setAside(tx: Tx, state: "SKIPPED" | "FAILED", rows: SetAside[]) {
  if (rows.length === 0) return;
  await tx.$executeRaw(sql`
    UPDATE plan_items p SET set_aside = ${state}::"ItemSetAside", skip_reason = r.reason
    FROM unnest(${rows.map((r) => r.item.id.toString())}::bigint[], ${rows.map((r) => r.reason)}::text[]) AS r(id, reason)
    WHERE p.id = r.id`);
}

/**
 * The tail of a batch's statement that advances its tasks, as CTEs after
 * two the statement defines: `worked` (id, take, left, taken, deleted,
 * skipped, failed, bytes, through, error), a row per task the batch took
 * with what it meant to take and what the task had left, and
 * `manifests` (task_id, org_id, item_ids, sha256, bytes), a row per task
 * that deleted something. It moves each task's counters, cursor and
 * lease; writes the manifest batches, numbered by the task's new batch
 * count; ends the done tasks; and adds those to the fleet's purge totals.
 * `updated` holds the tasks as they now stand. A batch's time, for the
 * task's longest, runs from BEGIN to this statement.
 */
export const advanceTasks = (runId: string, leaseSeconds: number): Sql => sql`
  -- A task is done when its manifest ran out before the batch's share did, or nothing is left.
  advancing AS (SELECT w.*, w.taken < w.take OR w.taken >= w."left" AS done FROM worked w),
  updated AS (
    UPDATE purge_tasks t SET
      batches = t.batches + (u.taken > 0)::int, deleted = t.deleted + u.deleted,
      skipped = t.skipped + u.skipped, failed = t.failed + u.failed,
      bytes_freed = t.bytes_freed + u.bytes, settled_through = u.through,
      last_error = coalesce(u.error, t.last_error),
      longest_batch_ms = CASE WHEN u.taken > 0
        THEN greatest(t.longest_batch_ms, (extract(epoch FROM clock_timestamp() - now()) * 1000)::int)
        ELSE t.longest_batch_ms END,
      status = CASE WHEN u.done THEN 'SUCCEEDED'::"TaskStatus" ELSE t.status END,
      finished_at = CASE WHEN u.done THEN now() ELSE t.finished_at END,
      lease_owner = CASE WHEN u.done THEN NULL ELSE t.lease_owner END,
      lease_until = CASE WHEN u.done THEN NULL ELSE now() + make_interval(secs => ${leaseSeconds}) END
    FROM advancing u
    WHERE t.id = u.id
    RETURNING t.id, t.batches, t.plan, t.category, t.deleted, t.bytes_freed, u.done
  ), manifest AS (
    INSERT INTO manifest_batches (run_id, task_id, batch_no, org_id, category, item_ids, sha256, bytes)
    SELECT ${runId}, m.task_id, updated.batches, m.org_id, updated.category, m.item_ids, m.sha256, m.bytes
    FROM manifests m JOIN updated ON updated.id = m.task_id
  ), totals AS (${addToTotals(sql`(SELECT * FROM updated WHERE done)`)})`;

/**
 * Adds ended tasks' deletions to the fleet's purge totals (the metrics'
 * counters), once per task: when it ends, whether it succeeded or failed.
 * `ended` is a relation of (plan, category, deleted, bytes_freed).
 */
export const addToTotals = (ended: Sql): Sql => sql`
  INSERT INTO purge_totals (plan, category, deleted, bytes_freed)
  SELECT plan, category, sum(deleted), sum(bytes_freed) FROM ${ended} e
  GROUP BY plan, category ORDER BY plan
  ON CONFLICT (plan, category) DO UPDATE
    SET deleted = purge_totals.deleted + EXCLUDED.deleted,
        bytes_freed = purge_totals.bytes_freed + EXCLUDED.bytes_freed`;
