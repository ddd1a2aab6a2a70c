import { itemsFrom, nextOfTask, takenRelation, type Take, type Tally } from "./batch-items";
import { whyKept, type SetAside } from "./batch-purge";
import type { RowCategory } from "./categories/category";
import { windowsOf, type Slice } from "./slice";
import { raw, sql, type Tx } from "./sql";

/** The statement's one row: the tasks' tallies and the items it kept, as arrays. */
type Purged = {
  task_ids: number[];
  taken: number[];
  deleted: number[];
  bytes: string[];
  through: string[];
  kept_task_ids: number[];
  kept_org_ids: number[];
  kept_ids: string[];
  kept_item_ids: number[];
  kept_bytes: string[];
};

/**
 * A batch of a category whose rows are never edited, worked inside the
 * database by one statement: each task's next items after its cursor,
 * re-checked against the frozen windows and deleted, and each task's
 * manifest batch written with its digest (the same as `batchDigest`). Only
 * the tasks' tallies, and the few items that were not deleted, come back:
 * sending a thousand ids to the worker and back cost more than deleting
 * them. The delete locks the rows; a second run deleting the same rows
 * waits, then finds them gone.
 */
export async function purgeInDatabase(
  tx: Tx,
  category: RowCategory,
  slice: Slice,
  taken: Take[],
): Promise<{ tallies: Tally[]; skipped: SetAside[] }> {
  const eligible = category.eligible({
    windows: sql`windows`,
    only: sql`(SELECT array_agg(item_id) FROM taken)`,
    keepNewest: slice.keepNewest,
    memberId: slice.memberId,
  });
  const [w] = await tx.$queryRaw<Purged[]>(sql`
    WITH windows AS MATERIALIZED ${windowsOf(
      slice,
      taken.map((t) => t.org_id),
    )},
    taken AS MATERIALIZED (
      SELECT u.task_id, u.org_id, p.id, p.item_id, p.bytes
      FROM ${takenRelation(taken)} CROSS JOIN LATERAL (${nextOfTask(slice)}) p),
    purged AS (
      DELETE FROM ${raw(category.table)} WHERE ctid = ANY(ARRAY(SELECT e.row_ctid FROM (${eligible}) e))
      RETURNING id),
    tally AS MATERIALIZED (
      SELECT k.task_id, k.org_id, count(*)::int AS taken, count(d.id)::int AS deleted,
             coalesce(sum(k.bytes) FILTER (WHERE d.id IS NOT NULL), 0) AS bytes, max(k.id) AS through,
             array_agg(d.id::text ORDER BY d.id::text COLLATE "C") FILTER (WHERE d.id IS NOT NULL) AS item_ids
      FROM taken k LEFT JOIN purged d ON d.id = k.item_id
      GROUP BY k.task_id, k.org_id),
    manifest AS (
      INSERT INTO manifest_batches (run_id, task_id, batch_no, org_id, category, item_ids, sha256, bytes)
      SELECT ${slice.runId}, y.task_id, t.batches + 1, y.org_id, t.category, y.item_ids,
             encode(sha256(convert_to(${slice.category} || ':' || y.org_id || ':' || array_to_string(y.item_ids, ','), 'UTF8')), 'hex'),
             y.bytes
      FROM tally y JOIN purge_tasks t ON t.id = y.task_id
      WHERE y.deleted > 0),
    kept AS (SELECT * FROM taken k WHERE NOT EXISTS (SELECT 1 FROM purged d WHERE d.id = k.item_id))
    SELECT coalesce(array_agg(y.task_id), '{}') AS task_ids, coalesce(array_agg(y.taken), '{}') AS taken,
           coalesce(array_agg(y.deleted), '{}') AS deleted, coalesce(array_agg(y.bytes::text), '{}') AS bytes,
           coalesce(array_agg(y.through::text), '{}') AS through,
           (SELECT coalesce(array_agg(task_id), '{}') FROM kept) AS kept_task_ids,
           (SELECT coalesce(array_agg(org_id), '{}') FROM kept) AS kept_org_ids,
           (SELECT coalesce(array_agg(id::text), '{}') FROM kept) AS kept_ids,
           (SELECT coalesce(array_agg(item_id), '{}') FROM kept) AS kept_item_ids,
           (SELECT coalesce(array_agg(bytes::text), '{}') FROM kept) AS kept_bytes
    FROM tally y`);
  const worked = new Map(
    (w?.task_ids ?? []).map((id, k) => [
      id,
      {
        taken: w?.taken[k] ?? 0,
        deleted: w?.deleted[k] ?? 0,
        bytes: BigInt(w?.bytes[k] ?? 0),
        through: BigInt(w?.through[k] ?? 0),
      },
    ]),
  );
  // A task with nothing left to take is not in the statement's tallies.
  const tallies = taken.map((task): Tally => {
    const t = worked.get(task.id) ?? { taken: 0, deleted: 0, bytes: 0n, through: task.through };
    return { task, ...t, skipped: t.taken - t.deleted, failed: 0, error: null };
  });
  const kept = itemsFrom(
    w && {
      task_ids: w.kept_task_ids,
      org_ids: w.kept_org_ids,
      ids: w.kept_ids,
      item_ids: w.kept_item_ids,
      object_keys: w.kept_ids.map(() => null),
      bytes: w.kept_bytes,
    },
  );
  return { tallies, skipped: await whyKept(tx, category, kept) };
}
