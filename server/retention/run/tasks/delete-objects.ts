import type { Engine } from "../../deps";
import type { BatchItem, SetAside } from "../batch-items";

/**
 * Where a batch deletes objects: those of `items` (keyed by `keyOf`), through
 * the store's DeleteObjects (one request for a batch of up to 1000 items),
 * before any of their rows go. Splits the items into gone and failed, only
 * what the store confirms deleted being gone; `storeMs` is the time S3 took.
 */
export async function deleteObjects(
  engine: Engine,
  items: BatchItem[],
  keyOf: (i: BatchItem) => string,
) {
  if (items.length === 0) return { gone: items, failed: [], storeMs: 0 };
  const started = performance.now();
  const outcome = await engine.store.deleteMany(items.map(keyOf));
  const storeMs = performance.now() - started;
  const deleted = new Set(outcome.deleted);
  const why = new Map(outcome.failed.map((f) => [f.key, f.reason]));
  const failed: SetAside[] = items
    .filter((i) => !deleted.has(keyOf(i)))
    .map((item) => ({
      item,
      reason: `object not deleted: ${why.get(keyOf(item)) ?? "unknown"}`,
    }));
  return { gone: items.filter((i) => deleted.has(keyOf(i))), failed, storeMs };
}
