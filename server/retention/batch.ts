import { createHash } from "node:crypto";
import type { RetentionCategory } from "../generated/prisma/enums";
import { purgeInDatabase } from "./batch-in-database";
import {
  isDone,
  nextItems,
  takes,
  tallyOf,
  type Progress,
  type Take,
  type Tally,
} from "./batch-items";
import {
  purgeOrphans,
  purgeRows,
  type BatchItem,
  type Outcome,
  type SetAside,
} from "./batch-purge";
import type { EditableRowCategory, ObjectCategory } from "./categories/category";
import { category as categoryOf } from "./category-lookup";
import type { Engine } from "./engine";
import type { Slice } from "./slice";
import { sql, type Tx } from "./sql";

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

/** One task's manifest batch of deleted ids, for `record` to insert. */
type Manifest = {
  task_id: number;
  org_id: number;
  item_ids: string[];
  sha256: string;
  bytes: string;
};

/** What a batch did: each task's tally, the items it set aside, and its time in S3. */
type Worked = {
  tallies: Tally[];
  skipped: SetAside[];
  failed: SetAside[];
  /** Manifest batches still to write (the in-database path writes its own). */
  manifests: Manifest[];
  storeMs: number;
};

/**
 * A batch the worker works item by item: rows that change in place are
 * locked and re-checked, and objects are deleted through S3, before the
 * rows whose objects are gone.
 */
async function purgeByWorker(
  tx: Tx,
  engine: Engine,
  category: EditableRowCategory | ObjectCategory,
  slice: Slice,
  taken: Take[],
): Promise<Worked> {
  const items = await nextItems(tx, slice, taken);
  const outcome: Outcome =
    items.length === 0
      ? { deleted: [], skipped: [], failed: [], storeMs: 0 }
      : category.kind === "rows"
        ? await purgeRows(tx, engine, category, slice, items)
        : await purgeOrphans(tx, engine, category, items);
  const manifests = taken.flatMap((task): Manifest[] => {
    const deleted = outcome.deleted.filter((d) => d.task_id === task.id);
    if (deleted.length === 0) return [];
    const ids = deleted.map(manifestId).sort();
    const bytes = deleted.reduce((sum, d) => sum + d.bytes, 0n);
    const sha256 = batchDigest(slice.category, task.org_id, ids);
    return [
      { task_id: task.id, org_id: task.org_id, item_ids: ids, sha256, bytes: bytes.toString() },
    ];
  });
  return {
    tallies: tallyOf(taken, items, outcome),
    skipped: outcome.skipped,
    failed: outcome.failed,
    manifests,
    storeMs: outcome.storeMs,
  };
}

/**
 * Advances each task past what it took: counters, cursor, lease, and the
 * manifest batches still to write. A task whose manifest is done ends here,
 * in the same transaction, and adds to the fleet's purge totals.
 */
async function record(
  tx: Tx,
  engine: Engine,
  slice: Slice,
  worked: Worked,
  began: number,
): Promise<number[]> {
  await setAside(tx, "SKIPPED", worked.skipped);
  await setAside(tx, "FAILED", worked.failed);
  const per = worked.tallies;
  const ms = Math.round(performance.now() - began);
  // One statement: the tasks' counters and cursors, the manifest batches
  // (numbered by the task's new batch count), and the fleet's purge totals
  // for the tasks this batch ended.
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
        ${per.map((p) => p.deleted)}::int[], ${per.map((p) => p.skipped)}::int[],
        ${per.map((p) => p.failed)}::int[], ${per.map((p) => p.bytes.toString())}::bigint[],
        ${per.map((p) => p.through.toString())}::bigint[], ${per.map((p) => p.error)}::text[],
        ${per.map(isDone)}::boolean[]
      ) AS u(id, taken, deleted, skipped, failed, bytes, through, error, done)
      WHERE t.id = u.id
      RETURNING t.id, t.batches, t.plan, t.category, t.deleted, t.bytes_freed, u.done
    ), manifest AS (
      INSERT INTO manifest_batches (run_id, task_id, batch_no, org_id, category, item_ids, sha256, bytes)
      SELECT ${slice.runId}, m.task_id, updated.batches, m.org_id, updated.category, m.item_ids, m.sha256, m.bytes
      FROM json_to_recordset(${JSON.stringify(worked.manifests)}::json)
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
      const category = categoryOf(slice.category);
      const worked: Worked =
        category.kind === "rows" && category.neverEdited
          ? {
              ...(await purgeInDatabase(tx, category, slice, taken)),
              failed: [],
              manifests: [],
              storeMs: 0,
            }
          : await purgeByWorker(tx, engine, category, slice, taken);
      const finished = await record(tx, engine, slice, worked, began);
      const items = worked.tallies.reduce((sum, t) => sum + t.taken, 0);
      return { finished, lost, items, workMs: performance.now() - began - worked.storeMs };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
