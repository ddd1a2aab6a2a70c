import type { Engine } from "../deps";
import { sql, type Sql, type Tx } from "../sql";
import { leaseUntil } from "./leases";

/** What a batch takes of one task: the next `take` items after its cursor `through`. */
export type Take = { id: number; org_id: number; left: number; through: bigint; take: number };

/** What one batch did to one task's counters and cursor. */
export type Tally = {
  task: Take;
  taken: number;
  deleted: number;
  skipped: number;
  failed: number;
  bytes: bigint;
  through: bigint;
  error: string | null;
};

/** What a batch deleted of one task, for its manifest batch: the ids, in any order, and their bytes. */
export type ManifestIds = { task_id: number; org_id: number; item_ids: string[]; bytes: string };

/** A task a batch ended, with its counters. */
export type TaskEnd = {
  id: number;
  org_id: number;
  deleted: number;
  skipped: number;
  failed: number;
  bytes_freed: bigint;
  batches: number;
};

/**
 * A batch's time, BEGIN to the statement that records it (how long it held
 * its locks), kept as the longest batch of task or sweep `row` when the
 * batch took items.
 */
export const longestBatch = (row: Sql, taken: Sql): Sql => sql`CASE WHEN ${taken} > 0
  THEN greatest(${row}.longest_batch_ms, (extract(epoch FROM clock_timestamp() - now()) * 1000)::int)
  ELSE ${row}.longest_batch_ms END`;

/**
 * The evidence of a batch row `b` (category, org_id, item_ids), to select
 * from `b` joined with this: its ids in manifest order (`ordered.ids`) and
 * their digest (`ordered.sha256`), by the database's functions
 * manifest_order and manifest_digest (the one definition of the evidence,
 * see docs/engine.md). The ids are sorted once: OFFSET 0 keeps the planner
 * from copying manifest_order into both columns.
 */
export const MANIFEST_EVIDENCE = sql`CROSS JOIN LATERAL (
  SELECT o.ids, manifest_digest(b.category::text, b.org_id, o.ids) AS sha256
  FROM (SELECT manifest_order(b.item_ids) AS ids OFFSET 0) o) ordered`;

/**
 * Writes a manifest batch per row of `batches` (task_id, batch_no, org_id,
 * category, item_ids, bytes), with its evidence (MANIFEST_EVIDENCE).
 */
export const writeManifestBatches = (runId: string, batches: Sql): Sql => sql`
  INSERT INTO manifest_batches (run_id, task_id, batch_no, org_id, category, item_ids, sha256, bytes)
  SELECT ${runId}, b.task_id, b.batch_no, b.org_id, b.category, ordered.ids, ordered.sha256, b.bytes
  FROM ${batches} b ${MANIFEST_EVIDENCE}`;

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

/**
 * Records a batch of a slice in one statement: moves each task it took past
 * what it took (counters, cursor, longest batch, lease), writes its manifest
 * batches, numbered by the task's new batch count, ends the tasks whose
 * manifest is done and adds those to the purge totals. A task is done when
 * its manifest ran out before the batch's share did, or nothing is left.
 * Returns the tasks it ended, as they ended.
 */
export async function recordTaskBatch(
  tx: Tx,
  engine: Engine,
  runId: string,
  tallies: Tally[],
  manifests: ManifestIds[],
): Promise<TaskEnd[]> {
  return tx.$queryRaw<TaskEnd[]>(sql`
    WITH worked AS (
      SELECT *, u.taken < u.take OR u.taken >= u."left" AS done FROM unnest(
        ${tallies.map((p) => p.task.id)}::int[], ${tallies.map((p) => p.task.take)}::int[],
        ${tallies.map((p) => p.task.left)}::int[], ${tallies.map((p) => p.taken)}::int[],
        ${tallies.map((p) => p.deleted)}::int[], ${tallies.map((p) => p.skipped)}::int[],
        ${tallies.map((p) => p.failed)}::int[], ${tallies.map((p) => p.bytes.toString())}::bigint[],
        ${tallies.map((p) => p.through.toString())}::bigint[], ${tallies.map((p) => p.error)}::text[]
      ) AS u(id, take, "left", taken, deleted, skipped, failed, bytes, through, error)
    ), manifests AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(manifests)}::json)
        AS m(task_id int, org_id int, item_ids text[], bytes bigint)
    ), updated AS (
      UPDATE purge_tasks t SET
        batches = t.batches + (u.taken > 0)::int, deleted = t.deleted + u.deleted,
        skipped = t.skipped + u.skipped, failed = t.failed + u.failed,
        bytes_freed = t.bytes_freed + u.bytes, settled_through = u.through,
        last_error = coalesce(u.error, t.last_error),
        longest_batch_ms = ${longestBatch(sql`t`, sql`u.taken`)},
        status = CASE WHEN u.done THEN 'SUCCEEDED'::"TaskStatus" ELSE t.status END,
        finished_at = CASE WHEN u.done THEN now() ELSE t.finished_at END,
        lease_owner = CASE WHEN u.done THEN NULL ELSE t.lease_owner END,
        lease_until = CASE WHEN u.done THEN NULL ELSE ${leaseUntil(engine)} END
      FROM worked u
      WHERE t.id = u.id
      RETURNING t.id, t.org_id, t.batches, t.plan, t.category, t.deleted, t.skipped, t.failed,
                t.bytes_freed, u.done
    ), manifest AS (${writeManifestBatches(
      runId,
      sql`(SELECT m.task_id, updated.batches AS batch_no, m.org_id, updated.category, m.item_ids, m.bytes
           FROM manifests m JOIN updated ON updated.id = m.task_id)`,
    )}), totals AS (${addToTotals(sql`(SELECT * FROM updated WHERE done)`)})
    SELECT id, org_id, deleted, skipped, failed, bytes_freed, batches FROM updated WHERE done`);
}
