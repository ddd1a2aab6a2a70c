import { categoryOf } from "../../categories";
import type { ObjectCategory, RowCategory } from "../../categories/category";
import type { Engine } from "../../deps";
import type { Tx } from "../../sql";
import type { BatchItem, BatchOutcome } from "../batch-items";
import { recordTaskBatch, type ManifestIds, type Take, type TaskEnd } from "../ledger";
import { setAside } from "../set-aside";
import { endErasedPins } from "../../policy/pins";
import { purgeOrphans } from "./purge-orphans";
import { purgeRows, purgeUneditedRows } from "./purge-rows";
import type { Slice } from "./slices";
import { nextItems, openBatch, tallyOf } from "./take-items";

export type BatchResult = {
  /** Tasks the batch took items of. */
  taken: number[];
  /** Tasks this batch ended: their manifest is done, they are SUCCEEDED. */
  ended: TaskEnd[];
  /** Tasks this worker no longer holds (its lease ran out and another took over). */
  lost: number[];
  /** Items the batch took, and how long its database work took (S3 calls apart). */
  items: number;
  workMs: number;
};

/** What the run's evidence says of an item: a row's id, an orphan's object key. */
const manifestId = (i: BatchItem) =>
  i.item_id !== null ? String(i.item_id) : (i.object_key ?? "");

/**
 * A batch the worker works item by item: rows that change in place are
 * locked and re-checked, and objects are deleted through S3, before the
 * rows whose objects are gone.
 */
async function purgeByWorker(
  tx: Tx,
  engine: Engine,
  category: RowCategory | ObjectCategory,
  slice: Slice,
  taken: Take[],
) {
  const items = await nextItems(tx, slice, taken);
  const outcome: BatchOutcome =
    items.length === 0
      ? { deleted: [], skipped: [], failed: [], storeMs: 0 }
      : category.kind === "objects"
        ? await purgeOrphans(tx, engine, category, slice, items)
        : category.neverEdited
          ? await purgeUneditedRows(tx, category, slice, items)
          : await purgeRows(tx, engine, category, slice, items);
  // An erasure takes pinned artifacts too: their pins end with them.
  if (slice.erasureId !== null && slice.category === "ARTIFACTS")
    await endErasedPins(tx, {
      erasureId: slice.erasureId,
      runId: slice.runId,
      artifactIds: outcome.deleted.flatMap((d) => (d.item_id === null ? [] : [d.item_id])),
      now: engine.now(),
    });
  const manifests = taken.flatMap((task): ManifestIds[] => {
    const deleted = outcome.deleted.filter((d) => d.task_id === task.id);
    if (deleted.length === 0) return [];
    const bytes = deleted.reduce((sum, d) => sum + d.bytes, 0n);
    return [
      {
        task_id: task.id,
        org_id: task.org_id,
        item_ids: deleted.map(manifestId),
        bytes: bytes.toString(),
      },
    ];
  });
  await setAside(tx, slice, "SKIPPED", outcome.skipped);
  await setAside(tx, slice, "FAILED", outcome.failed);
  const tallies = tallyOf(taken, items, outcome);
  const ended = await recordTaskBatch(tx, engine, slice.runId, tallies, manifests);
  return { ended, items: items.length, storeMs: outcome.storeMs };
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
      const { leased, taken } = await openBatch(tx, engine, taskIds, size);
      const lost = taskIds.filter((id) => !leased.has(id));
      if (taken.length === 0) return { taken: [], ended: [], lost, items: 0, workMs: 0 };
      const category = categoryOf(slice.category);
      const done = await purgeByWorker(tx, engine, category, slice, taken);
      return {
        taken: taken.map((t) => t.id),
        ended: done.ended,
        lost,
        items: done.items,
        workMs: performance.now() - began - done.storeMs,
      };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
