import { itemsFrom, nextOfTask, takenRelation, type Take } from "./batch-items";
import { whyKept } from "./batch-purge";
import { advanceTasks, setAside, type Advanced } from "./batch-record";
import type { RowCategory } from "./categories/category";
import type { Engine } from "./engine";
import { windowsOf, type Slice } from "./slice";
import { raw, sql, type Tx } from "./sql";

/** The statement's one row: the tasks it ended, its items, and the items it kept, as arrays. */
type Purged = {
  finished: number[];
  items: number;
  kept_task_ids: number[];
  kept_org_ids: number[];
  kept_ids: string[];
  kept_item_ids: number[];
  kept_bytes: string[];
};

/**
 * A batch of a category whose rows are never edited, worked inside the
 * database by one statement: each task's next items after its cursor,
 * re-checked against the frozen windows and deleted; each task's manifest
 * batch written with its digest (the same as `batchDigest`), and the tasks
 * advanced. Only the tasks it ended, and the few items that were not
 * deleted, come back: sending a thousand ids to the worker and back cost
 * more than deleting them. The delete locks the rows; a second run deleting
 * the same rows waits, then finds them gone.
 */
export async function purgeInDatabase(
  tx: Tx,
  engine: Engine,
  category: RowCategory,
  slice: Slice,
  taken: Take[],
): Promise<Advanced> {
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
    tasks AS MATERIALIZED (SELECT * FROM ${takenRelation(taken)}),
    taken AS MATERIALIZED (
      SELECT u.task_id, u.org_id, p.id, p.item_id, p.bytes
      FROM tasks u CROSS JOIN LATERAL (${nextOfTask(slice)}) p),
    purged AS (
      DELETE FROM ${raw(category.table)} WHERE ctid = ANY(ARRAY(SELECT e.row_ctid FROM (${eligible}) e))
      RETURNING id),
    tally AS MATERIALIZED (
      SELECT k.task_id, k.org_id, count(*)::int AS taken, count(d.id)::int AS deleted,
             coalesce(sum(k.bytes) FILTER (WHERE d.id IS NOT NULL), 0)::bigint AS bytes, max(k.id) AS through,
             array_agg(d.id::text ORDER BY d.id::text COLLATE "C") FILTER (WHERE d.id IS NOT NULL) AS item_ids
      FROM taken k LEFT JOIN purged d ON d.id = k.item_id
      GROUP BY k.task_id, k.org_id),
    -- Every task the batch took, those with nothing left included: they end here.
    worked AS MATERIALIZED (
      SELECT u.task_id AS id, u.take, u."left", coalesce(y.taken, 0) AS taken,
             coalesce(y.deleted, 0) AS deleted, coalesce(y.taken - y.deleted, 0) AS skipped, 0 AS failed,
             coalesce(y.bytes, 0) AS bytes, coalesce(y.through, u.through) AS through, NULL::text AS error
      FROM tasks u LEFT JOIN tally y ON y.task_id = u.task_id),
    manifests AS (
      SELECT y.task_id, y.org_id, y.item_ids, y.bytes,
             encode(sha256(convert_to(${slice.category} || ':' || y.org_id || ':' || array_to_string(y.item_ids, ','), 'UTF8')), 'hex') AS sha256
      FROM tally y WHERE y.deleted > 0),
    ${advanceTasks(slice.runId, engine.settings.leaseSeconds)},
    kept AS (SELECT * FROM taken k WHERE NOT EXISTS (SELECT 1 FROM purged d WHERE d.id = k.item_id))
    SELECT (SELECT coalesce(array_agg(id), '{}') FROM updated WHERE done) AS finished,
           (SELECT coalesce(sum(taken), 0)::int FROM worked) AS items,
           (SELECT coalesce(array_agg(task_id), '{}') FROM kept) AS kept_task_ids,
           (SELECT coalesce(array_agg(org_id), '{}') FROM kept) AS kept_org_ids,
           (SELECT coalesce(array_agg(id::text), '{}') FROM kept) AS kept_ids,
           (SELECT coalesce(array_agg(item_id), '{}') FROM kept) AS kept_item_ids,
           (SELECT coalesce(array_agg(bytes::text), '{}') FROM kept) AS kept_bytes`);
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
  await setAside(tx, "SKIPPED", await whyKept(tx, category, kept));
  return { finished: w?.finished ?? [], items: w?.items ?? 0, storeMs: 0 };
}
