import type { EditableRowCategory, RowCategory } from "../../categories/category";
import type { Keep, KeptTerms } from "../../categories/keep";
import type { Engine } from "../../deps";
import { addDays } from "../../policy/effective-window";
import { idArray, raw, sql, type Tx } from "../../sql";
import type { BatchItem, BatchOutcome } from "../batch-items";
import { whyKept } from "../set-aside";
import { deleteObjects } from "./delete-objects";
import { windowsOf, type Slice } from "./slices";

/** The batch's items that are eligible now under the slice's frozen windows: a query. */
function stillEligible(category: RowCategory, slice: Slice, items: BatchItem[]) {
  const only = items.map((i) => i.item_id).filter((id): id is number => id !== null);
  return {
    windows: windowsOf(
      slice,
      items.map((i) => i.org_id),
    ),
    eligible: category.eligible({
      windows: sql`windows`,
      only: idArray(only),
      keepNewest: slice.keepNewest,
      memberId: slice.memberId,
    }),
    only,
  };
}

/**
 * The candidates that go into their restore window: those of tasks whose
 * plan froze a restore window (never an erasure's: its plan froze 0).
 */
function keepOf(
  engine: Engine,
  category: EditableRowCategory,
  slice: Slice,
  items: BatchItem[],
): Keep {
  const days = new Map(slice.tasks.map((t) => [t.taskId, t.restoreDays]));
  const now = engine.now();
  const kept = new Map<number, KeptTerms>();
  for (const item of items) {
    const restoreDays = days.get(item.task_id) ?? 0;
    if (restoreDays > 0 && item.item_id !== null)
      kept.set(item.item_id, {
        orgId: item.org_id,
        bytes: item.bytes,
        restorableUntil: addDays(now, restoreDays),
      });
  }
  return { runId: slice.runId, category: category.key, items: kept };
}

/**
 * Rows: lock them, re-check them against the frozen windows now (a new
 * hold, a reopened incident, a newer backup kept… drop them), move those in
 * a restore window to `kept_items` (their objects untouched), delete the
 * objects of the rest, then only the rows whose objects are confirmed gone.
 */
export async function purgeRows(
  tx: Tx,
  engine: Engine,
  category: EditableRowCategory,
  slice: Slice,
  items: BatchItem[],
): Promise<BatchOutcome> {
  const now = stillEligible(category, slice, items);
  // Lock the items' rows first, in id order: a second run purging the same
  // items waits here, then finds them gone. Two runs never work an item at
  // once, and the re-check below sees every change committed before the lock.
  await tx.$queryRaw(sql`
    SELECT count(*) FROM (
      SELECT id FROM ${raw(category.table)} WHERE id = ANY(${now.only}::int[]) ORDER BY id FOR UPDATE) locked`);
  const [still] = await tx.$queryRaw<
    { ids: number[] | null; keys: (string | null)[] | null }[]
  >(sql`
    WITH windows AS MATERIALIZED ${now.windows}
    SELECT array_agg(e.item_id) AS ids, array_agg(e.object_key) AS keys FROM (${now.eligible}) e`);
  const keys = still?.keys ?? [];
  const eligible = new Map((still?.ids ?? []).map((id, k) => [id, keys[k] ?? ""]));
  const candidates = items.filter((i) => i.item_id !== null && eligible.has(i.item_id));
  const keep = keepOf(engine, category, slice, candidates);
  const toDelete = candidates.filter((i) => !keep.items.has(i.item_id ?? 0));
  const objects = category.storesObjects
    ? await deleteObjects(engine, toDelete, (i) => eligible.get(i.item_id ?? 0) ?? "")
    : { gone: toDelete, failed: [], storeMs: 0 };
  const inWindow = new Set(
    keep.items.size > 0 ? await category.purgeRows(tx, [...keep.items.keys()], keep) : [],
  );
  const purged = new Set(
    await category.purgeRows(
      tx,
      objects.gone.map((c) => c.item_id ?? 0),
    ),
  );
  const failedIds = new Set(objects.failed.map((f) => f.item.id));
  const kept = items.filter(
    (i) => !purged.has(i.item_id ?? 0) && !inWindow.has(i.item_id ?? 0) && !failedIds.has(i.id),
  );
  return {
    // An item in its restore window frees its bytes at its final deletion, not now.
    deleted: items.flatMap((i) =>
      purged.has(i.item_id ?? 0) ? [i] : inWindow.has(i.item_id ?? 0) ? [{ ...i, bytes: 0n }] : [],
    ),
    skipped: await whyKept(tx, category, kept),
    failed: objects.failed,
    storeMs: objects.storeMs,
  };
}

/**
 * Rows never edited (a swept category's task the guard paused, once
 * approved: its sweeps passed its items by): re-checked and deleted by
 * their tuple ids in one statement, as a sweep's batch does. The batch
 * share-locked their orgs, so a hold placed meanwhile waits for it.
 */
export async function purgeUneditedRows(
  tx: Tx,
  category: RowCategory,
  slice: Slice,
  items: BatchItem[],
): Promise<BatchOutcome> {
  const now = stillEligible(category, slice, items);
  const [row] = await tx.$queryRaw<{ ids: number[] | null }[]>(sql`
    WITH windows AS MATERIALIZED ${now.windows},
    purged AS (
      DELETE FROM ${raw(category.table)} WHERE ctid = ANY(ARRAY(SELECT e.row_ctid FROM (${now.eligible}) e))
      RETURNING id)
    SELECT array_agg(id) AS ids FROM purged`);
  const purged = new Set(row?.ids ?? []);
  return {
    deleted: items.filter((i) => purged.has(i.item_id ?? 0)),
    skipped: await whyKept(
      tx,
      category,
      items.filter((i) => !purged.has(i.item_id ?? 0)),
    ),
    failed: [],
    storeMs: 0,
  };
}
