import { createHash } from "node:crypto";
import type { RetentionCategory } from "../generated/prisma/enums";
import {
  purgeOrphans,
  purgeRows,
  type BatchItem,
  type Outcome,
  type SetAside,
} from "./batch-purge";
import { category as categoryOf } from "./category-lookup";
import type { Engine } from "./engine";
import type { Slice } from "./slice";
import { sql, type Tx } from "./sql";

/** Where a task stands at the start of a batch, read under its row lock. */
type Progress = { id: number; org_id: number; left: number; through: bigint };
/** What a batch takes of one task: the next `take` items after `through`. */
type Take = Progress & { take: number };

export type BatchResult = {
  /** Tasks whose manifest this batch finished: they are SUCCEEDED. */
  finished: number[];
  /** Tasks this worker no longer holds (its lease ran out and another took over). */
  lost: number[];
  /** Items the batch took, and how long its database work took (S3 calls apart). */
  items: number;
  workMs: number;
};

/** SHA-256 of one batch's ids: `CATEGORY:orgId:` then the sorted ids, comma-separated. */
export function batchDigest(category: RetentionCategory, orgId: number, ids: string[]) {
  return createHash("sha256")
    .update(`${category}:${orgId}:${[...ids].sort().join(",")}`)
    .digest("hex");
}

/** Up to `room` items, from the tasks in order: a task is taken whole before the next. */
function takes(progress: Progress[], room: number): Take[] {
  const taken: Take[] = [];
  for (const p of progress) {
    if (room === 0) break;
    const take = Math.max(0, Math.min(p.left, room));
    taken.push({ ...p, take });
    room -= take;
  }
  return taken;
}

type ItemColumns = {
  task_ids: number[];
  org_ids: number[];
  ids: string[];
  item_ids: (number | null)[];
  object_keys: (string | null)[];
  bytes: string[];
};

/**
 * The next items of each task after its cursor, as many as it takes. They
 * come back as one row of arrays: a thousand result rows cost the worker
 * more to decode than the database to find.
 */
async function nextItems(tx: Tx, slice: Slice, taken: Take[]): Promise<BatchItem[]> {
  const [c] = await tx.$queryRaw<ItemColumns[]>(sql`
    SELECT coalesce(array_agg(t.task_id), '{}') AS task_ids, coalesce(array_agg(t.org_id), '{}') AS org_ids,
           coalesce(array_agg(p.id::text), '{}') AS ids, coalesce(array_agg(p.item_id), '{}') AS item_ids,
           coalesce(array_agg(p.object_key), '{}') AS object_keys, coalesce(array_agg(p.bytes::text), '{}') AS bytes
    FROM unnest(${taken.map((t) => t.id)}::int[], ${taken.map((t) => t.org_id)}::int[],
                ${taken.map((t) => t.through.toString())}::bigint[], ${taken.map((t) => t.take)}::int[])
         AS t(task_id, org_id, through, take)
    CROSS JOIN LATERAL (
      SELECT id, item_id, object_key, bytes FROM plan_items
      WHERE plan_id = ${slice.planId} AND org_id = t.org_id
        AND category = ${slice.category}::"RetentionCategory" AND id > t.through
      ORDER BY id LIMIT t.take
    ) p`);
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

/** What the run's evidence says of an item: a row's id, an orphan's object key. */
const manifestId = (i: BatchItem) =>
  i.item_id !== null ? String(i.item_id) : (i.object_key ?? "");

async function setAside(tx: Tx, state: "SKIPPED" | "FAILED", rows: SetAside[]) {
  if (rows.length === 0) return;
  await tx.$executeRaw(sql`
    UPDATE plan_items p SET set_aside = ${state}::"ItemSetAside", skip_reason = r.reason
    FROM unnest(${rows.map((r) => r.item.id.toString())}::bigint[], ${rows.map((r) => r.reason)}::text[]) AS r(id, reason)
    WHERE p.id = r.id`);
}

/**
 * Advances each task past what it took: counters, cursor, lease, and its
 * manifest batch of deleted ids. A task whose manifest is done ends here,
 * in the same transaction, and adds to the fleet's purge totals.
 */
async function record(
  tx: Tx,
  engine: Engine,
  slice: Slice,
  taken: Take[],
  items: BatchItem[],
  outcome: Outcome,
  began: number,
): Promise<number[]> {
  await setAside(tx, "SKIPPED", outcome.skipped);
  await setAside(tx, "FAILED", outcome.failed);
  const per = taken.map((t) => {
    const mine = items.filter((i) => i.task_id === t.id);
    const deleted = outcome.deleted.filter((i) => i.task_id === t.id);
    const failed = outcome.failed.filter((f) => f.item.task_id === t.id);
    return {
      task: t,
      deleted,
      skipped: outcome.skipped.filter((s) => s.item.task_id === t.id).length,
      failed,
      bytes: deleted.reduce((sum, d) => sum + d.bytes, 0n),
      through: mine.reduce((max, i) => (i.id > max ? i.id : max), t.through),
      taken: mine.length,
      done: mine.length < t.take || mine.length >= t.left,
    };
  });
  const ms = Math.round(performance.now() - began);
  const manifests = per
    .filter((p) => p.deleted.length > 0)
    .map((p) => {
      const ids = p.deleted.map(manifestId).sort();
      return {
        task_id: p.task.id,
        org_id: p.task.org_id,
        item_ids: ids,
        sha256: batchDigest(slice.category, p.task.org_id, ids),
        bytes: p.bytes.toString(),
      };
    });
  // One statement: the tasks' counters and cursors, a manifest batch per task
  // that deleted something (numbered by the task's new batch count), and the
  // fleet's purge totals for the tasks this batch ended.
  const finished = await tx.$queryRaw<{ id: number }[]>(sql`
    WITH updated AS (
      UPDATE purge_tasks t SET
        batches = t.batches + (u.taken > 0)::int, deleted = t.deleted + u.deleted,
        skipped = t.skipped + u.skipped, failed = t.failed + u.failed,
        bytes_freed = t.bytes_freed + u.bytes, settled_through = u.through,
        last_error = coalesce(u.error, t.last_error),
        longest_batch_ms = CASE WHEN u.taken > 0 THEN greatest(t.longest_batch_ms, ${ms}) ELSE t.longest_batch_ms END,
        status = CASE WHEN u.done THEN 'SUCCEEDED'::"TaskStatus" ELSE t.status END,
        finished_at = CASE WHEN u.done THEN now() ELSE t.finished_at END,
        lease_owner = CASE WHEN u.done THEN NULL ELSE t.lease_owner END,
        lease_until = CASE WHEN u.done THEN NULL
                           ELSE now() + make_interval(secs => ${engine.settings.leaseSeconds}) END
      FROM unnest(
        ${per.map((p) => p.task.id)}::int[], ${per.map((p) => p.taken)}::int[],
        ${per.map((p) => p.deleted.length)}::int[], ${per.map((p) => p.skipped)}::int[],
        ${per.map((p) => p.failed.length)}::int[], ${per.map((p) => p.bytes.toString())}::bigint[],
        ${per.map((p) => p.through.toString())}::bigint[], ${per.map((p) => p.failed[0]?.reason ?? null)}::text[],
        ${per.map((p) => p.done)}::boolean[]
      ) AS u(id, taken, deleted, skipped, failed, bytes, through, error, done)
      WHERE t.id = u.id
      RETURNING t.id, t.batches, t.plan, t.category, t.deleted, t.bytes_freed, u.done
    ), manifest AS (
      INSERT INTO manifest_batches (run_id, task_id, batch_no, org_id, category, item_ids, sha256, bytes)
      SELECT ${slice.runId}, m.task_id, updated.batches, m.org_id, updated.category, m.item_ids, m.sha256, m.bytes
      FROM json_to_recordset(${JSON.stringify(manifests)}::json)
           AS m(task_id int, org_id int, item_ids text[], sha256 text, bytes bigint)
      JOIN updated ON updated.id = m.task_id
    ), totals AS (
      INSERT INTO purge_totals (plan, category, deleted, bytes_freed)
      SELECT plan, category, sum(deleted), sum(bytes_freed) FROM updated
      WHERE done GROUP BY plan, category ORDER BY plan
      ON CONFLICT (plan, category) DO UPDATE
        SET deleted = purge_totals.deleted + EXCLUDED.deleted,
            bytes_freed = purge_totals.bytes_freed + EXCLUDED.bytes_freed
    )
    SELECT id FROM updated WHERE done`);
  return finished.map((f) => f.id);
}

/**
 * Purges the next batch of a slice in one transaction. The tasks' rows are
 * locked first and must still be this worker's: a second worker on the same
 * task waits, then starts after the cursor this batch moved. The orgs' rows
 * are share-locked so a legal hold placed meanwhile waits for this batch (or
 * is seen by it). Objects go first; a row goes only once its object is gone.
 * A crash anywhere rolls the rows and the cursor back; their objects, if
 * already deleted, count as deleted on the retry.
 */
export async function purgeNextBatch(
  engine: Engine,
  slice: Slice,
  size: number,
): Promise<BatchResult> {
  const taskIds = slice.tasks.map((t) => t.taskId);
  return engine.db.$transaction(
    async (tx) => {
      const began = performance.now();
      const timeoutMs = engine.settings.batchStatementTimeoutMs ?? 60_000;
      await tx.$executeRaw(sql`SELECT set_config('statement_timeout', ${`${timeoutMs}ms`}, true)`);
      const progress = await tx.$queryRaw<Progress[]>(sql`
        SELECT id, org_id, eligible - deleted - skipped - failed AS left, settled_through AS through
        FROM purge_tasks
        WHERE id = ANY(${taskIds}::int[]) AND status = 'RUNNING' AND lease_owner = ${engine.workerId}
        ORDER BY id FOR UPDATE`);
      const held = new Set(progress.map((p) => p.id));
      const lost = taskIds.filter((id) => !held.has(id));
      const taken = takes(progress, size);
      if (taken.length === 0) return { finished: [], lost, items: 0, workMs: 0 };
      await tx.$queryRaw(sql`
        SELECT id FROM organizations WHERE id = ANY(${taken.map((t) => t.org_id)}::int[])
        ORDER BY id FOR SHARE`);
      const items = await nextItems(tx, slice, taken);
      const category = categoryOf(slice.category);
      const outcome: Outcome =
        items.length === 0
          ? { deleted: [], skipped: [], failed: [], storeMs: 0 }
          : category.kind === "rows"
            ? await purgeRows(tx, engine, category, slice, items)
            : await purgeOrphans(tx, engine, category, items);
      const finished = await record(tx, engine, slice, taken, items, outcome, began);
      const workMs = performance.now() - began - outcome.storeMs;
      return { finished, lost, items: items.length, workMs };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
