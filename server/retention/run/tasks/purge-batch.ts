import { createHash } from "node:crypto";
import type { RetentionCategory } from "../../../generated/prisma/enums";
import { nextItems, openBatch, tallyOf, type Take, type Tally } from "./take-items";
import { purgeOrphans, purgeRows, type BatchItem, type Outcome } from "./purge-items";
import { advanceTasks, setAside, type Advanced } from "../ledger";
import type { EditableRowCategory, ObjectCategory } from "../../categories/category";
import { categoryOf } from "../../categories";
import type { Engine } from "../../deps";
import type { Slice } from "./slices";
import { sql, type Tx } from "../../sql";

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

/** One task's manifest batch of deleted ids, for `record` to insert. */
type Manifest = {
  task_id: number;
  org_id: number;
  item_ids: string[];
  sha256: string;
  bytes: string;
};

/**
 * Advances each task past what the batch took (counters, cursor, lease,
 * its manifest batch) and ends the tasks whose manifest is done, in the
 * same transaction.
 */
async function record(
  tx: Tx,
  engine: Engine,
  slice: Slice,
  tallies: Tally[],
  manifests: Manifest[],
): Promise<number[]> {
  const finished = await tx.$queryRaw<{ id: number }[]>(sql`
    WITH worked AS (
      SELECT * FROM unnest(
        ${tallies.map((p) => p.task.id)}::int[], ${tallies.map((p) => p.task.take)}::int[],
        ${tallies.map((p) => p.task.left)}::int[], ${tallies.map((p) => p.taken)}::int[],
        ${tallies.map((p) => p.deleted)}::int[], ${tallies.map((p) => p.skipped)}::int[],
        ${tallies.map((p) => p.failed)}::int[], ${tallies.map((p) => p.bytes.toString())}::bigint[],
        ${tallies.map((p) => p.through.toString())}::bigint[], ${tallies.map((p) => p.error)}::text[]
      ) AS u(id, take, "left", taken, deleted, skipped, failed, bytes, through, error)
    ), manifests AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(manifests)}::json)
        AS m(task_id int, org_id int, item_ids text[], sha256 text, bytes bigint)
    ), ${advanceTasks(slice.runId, engine.settings.leaseSeconds)}
    SELECT id FROM updated WHERE done`);
  return finished.map((f) => f.id);
}

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
): Promise<Advanced> {
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
  await setAside(tx, "SKIPPED", outcome.skipped);
  await setAside(tx, "FAILED", outcome.failed);
  const finished = await record(tx, engine, slice, tallyOf(taken, items, outcome), manifests);
  return { finished, items: items.length, storeMs: outcome.storeMs };
}

/**
 * Purges the next batch of a slice in one transaction. The tasks' rows are
 * locked first and must still be this worker's, then the orgs' rows (see
 * `openBatch`). Objects go first; a row goes only once its object is gone.
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
      const { held, taken } = await openBatch(tx, engine, taskIds, size);
      const lost = taskIds.filter((id) => !held.has(id));
      if (taken.length === 0) return { finished: [], lost, items: 0, workMs: 0 };
      const category = categoryOf(slice.category);
      if (category.kind === "rows" && category.neverEdited)
        throw new Error(`${slice.category} is worked by sweeps, not by tasks`);
      const done = await purgeByWorker(tx, engine, category, slice, taken);
      return {
        finished: done.finished,
        lost,
        items: done.items,
        workMs: performance.now() - began - done.storeMs,
      };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
