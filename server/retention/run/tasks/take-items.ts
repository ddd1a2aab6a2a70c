import type { BatchItem, Outcome } from "./purge-items";
import type { Engine } from "../../deps";
import type { Slice } from "./slices";
import { sql, type Tx } from "../../sql";

/** Where a task stands at the start of a batch, read under its row lock. */
export type Progress = { id: number; org_id: number; left: number; through: bigint };
/** What a batch takes of one task: the next `take` items after `through`. */
export type Take = Progress & { take: number };

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
): Promise<{ held: Set<number>; taken: Take[] }> {
  const timeoutMs = engine.settings.batchStatementTimeoutMs ?? 60_000;
  const rows = await tx.$queryRaw<(Progress & { take: number | null })[]>(sql`
    WITH timeout AS MATERIALIZED (SELECT set_config('statement_timeout', ${`${timeoutMs}ms`}, true)),
    progress AS MATERIALIZED (
      SELECT id, org_id, eligible - deleted - skipped - failed AS "left", settled_through AS through
      FROM purge_tasks
      WHERE id = ANY(${taskIds}::int[]) AND status = 'RUNNING' AND lease_owner = ${engine.workerId}
      ORDER BY id FOR UPDATE),
    taken AS MATERIALIZED (
      SELECT id, org_id, least(p."left", ${room}::int - p.before)::int AS take FROM (
        SELECT *, coalesce(sum("left") OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
        FROM progress) p
      WHERE p.before < ${room}::int),
    locked AS MATERIALIZED (
      SELECT id FROM organizations WHERE id IN (SELECT org_id FROM taken) ORDER BY id FOR SHARE)
    SELECT p.id, p.org_id, p."left", p.through, t.take,
           -- Read so that both run: the timeout, and the orgs' locks (after the tasks').
           (SELECT count(*) FROM timeout)::int AS timeouts_set, (SELECT count(*) FROM locked)::int AS orgs_locked
    FROM progress p LEFT JOIN taken t ON t.id = p.id
    ORDER BY p.id`);
  return {
    held: new Set(rows.map((r) => r.id)),
    taken: rows.flatMap(({ id, org_id, left, through, take }) =>
      take === null ? [] : [{ id, org_id, left, through, take }],
    ),
  };
}

/** The tasks' (id, org_id, left, through, take) as an unnest() relation named `u`. */
export const takenRelation = (taken: Take[]) => sql`
  unnest(${taken.map((t) => t.id)}::int[], ${taken.map((t) => t.org_id)}::int[], ${taken.map((t) => t.left)}::int[],
         ${taken.map((t) => t.through.toString())}::bigint[], ${taken.map((t) => t.take)}::int[])
  AS u(task_id, org_id, "left", through, take)`;

/** The next items of task `u` in the slice's manifest, after its cursor, as many as it takes. */
export const nextOfTask = (slice: Slice) => sql`
  SELECT id, item_id, object_key, bytes FROM plan_items
  WHERE plan_id = ${slice.planId} AND org_id = u.org_id
    AND category = ${slice.category}::"RetentionCategory" AND id > u.through
  ORDER BY id LIMIT u.take`;

type ItemColumns = {
  task_ids: number[];
  org_ids: number[];
  ids: string[];
  item_ids: (number | null)[];
  object_keys: (string | null)[];
  bytes: string[];
};

/** Items that came back from the database as one row of arrays, as BatchItems. */
export function itemsFrom(c: ItemColumns | undefined): BatchItem[] {
  if (!c) return [];
  return c.ids.map((id, k) => ({
    task_id: c.task_ids[k] ?? 0,
    org_id: c.org_ids[k] ?? 0,
    id: BigInt(id),
    item_id: c.item_ids[k] ?? null,
    object_key: c.object_keys[k] ?? null,
    bytes: BigInt(c.bytes[k] ?? 0),
  }));
}

/**
 * The next items of each task after its cursor, for a batch the worker
 * works item by item. They come back as one row of arrays: a thousand
 * result rows cost the worker more to decode than the database to find.
 */
export async function nextItems(tx: Tx, slice: Slice, taken: Take[]): Promise<BatchItem[]> {
  const [c] = await tx.$queryRaw<ItemColumns[]>(sql`
    SELECT coalesce(array_agg(u.task_id), '{}') AS task_ids, coalesce(array_agg(u.org_id), '{}') AS org_ids,
           coalesce(array_agg(p.id::text), '{}') AS ids, coalesce(array_agg(p.item_id), '{}') AS item_ids,
           coalesce(array_agg(p.object_key), '{}') AS object_keys, coalesce(array_agg(p.bytes::text), '{}') AS bytes
    FROM ${takenRelation(taken)}
    CROSS JOIN LATERAL (${nextOfTask(slice)}) p`);
  return itemsFrom(c);
}

/** Each task's share of a batch the worker worked item by item. */
export function tallyOf(taken: Take[], items: BatchItem[], outcome: Outcome): Tally[] {
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
