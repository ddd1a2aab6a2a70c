import type { Engine } from "../../deps";
import { sql, type Tx } from "../../sql";
import { itemsFrom, type BatchItem, type ItemColumns, type BatchOutcome } from "../batch-items";
import { leasedTo } from "../leases";
import type { Take, Tally } from "../ledger";
import { statementTimeout } from "../pacing";
import type { Slice } from "./slices";

/**
 * Opens a batch in one round trip: sets its statement timeout, locks the
 * slice's tasks that are still this worker's (in id order; a second worker
 * on the same task waits, then starts after the cursor this batch moves),
 * and takes up to `room` items from them in order, a task taken whole
 * before the next. The orgs of the tasks it takes are share-locked, so a
 * legal hold placed meanwhile waits for this batch; the batch's next
 * statement, with a snapshot of its own, sees any hold committed before.
 */
export async function openBatch(
  tx: Tx,
  engine: Engine,
  taskIds: number[],
  room: number,
): Promise<{ leased: Set<number>; taken: Take[] }> {
  const rows = await tx.$queryRaw<(Omit<Take, "take"> & { take: number | null })[]>(sql`
    WITH ${statementTimeout(engine)},
    standing AS MATERIALIZED (
      SELECT id, org_id, eligible - deleted - skipped - failed AS "left", settled_through AS through
      FROM purge_tasks
      WHERE id = ANY(${taskIds}::int[]) AND ${leasedTo(engine)}
      ORDER BY id FOR UPDATE),
    taken AS MATERIALIZED (
      SELECT id, org_id, least(p."left", ${room}::int - p.before)::int AS take FROM (
        SELECT *, coalesce(sum("left") OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
        FROM standing) p
      WHERE p.before < ${room}::int),
    locked AS MATERIALIZED (
      SELECT id FROM organizations WHERE id IN (SELECT org_id FROM taken) ORDER BY id FOR SHARE)
    SELECT p.id, p.org_id, p."left", p.through, t.take,
           -- Read so that both run: the timeout, and the orgs' locks (after the tasks').
           (SELECT count(*) FROM timeout)::int AS timeouts_set, (SELECT count(*) FROM locked)::int AS orgs_locked
    FROM standing p LEFT JOIN taken t ON t.id = p.id
    ORDER BY p.id`);
  return {
    leased: new Set(rows.map((r) => r.id)),
    taken: rows.flatMap(({ id, org_id, left, through, take }) =>
      take === null ? [] : [{ id, org_id, left, through, take }],
    ),
  };
}

/**
 * The next items of each task after its cursor, as many as the batch takes
 * of it, in one round trip.
 */
export async function nextItems(tx: Tx, slice: Slice, taken: Take[]): Promise<BatchItem[]> {
  const [c] = await tx.$queryRaw<ItemColumns[]>(sql`
    SELECT coalesce(array_agg(u.task_id), '{}') AS task_ids, coalesce(array_agg(u.org_id), '{}') AS org_ids,
           coalesce(array_agg(p.id::text), '{}') AS ids, coalesce(array_agg(p.item_id), '{}') AS item_ids,
           coalesce(array_agg(p.object_key), '{}') AS object_keys, coalesce(array_agg(p.bytes::text), '{}') AS bytes
    FROM unnest(${taken.map((t) => t.id)}::int[], ${taken.map((t) => t.org_id)}::int[],
                ${taken.map((t) => t.through.toString())}::bigint[], ${taken.map((t) => t.take)}::int[])
         AS u(task_id, org_id, through, take)
    CROSS JOIN LATERAL (
      SELECT id, item_id, object_key, bytes FROM plan_items
      WHERE plan_id = ${slice.planId} AND org_id = u.org_id
        AND category = ${slice.category}::"RetentionCategory" AND id > u.through
      ORDER BY id LIMIT u.take) p`);
  return itemsFrom(c);
}

/** Each task's share of a batch the worker worked item by item. */
export function tallyOf(taken: Take[], items: BatchItem[], outcome: BatchOutcome): Tally[] {
  return taken.map((task) => {
    const mine = items.filter((i) => i.task_id === task.id);
    const deleted = outcome.deleted.filter((i) => i.task_id === task.id);
    const failed = outcome.failed.filter((f) => f.item.task_id === task.id);
    return {
      task,
      taken: mine.length,
      deleted: deleted.length,
      skipped: outcome.skipped.filter((s) => s.item.task_id === task.id).length,
      failed: failed.length,
      bytes: deleted.reduce((sum, d) => sum + d.bytes, 0n),
      through: mine.reduce((max, i) => (i.id > max ? i.id : max), task.through),
      error: failed[0]?.reason ?? null,
    };
  });
}
