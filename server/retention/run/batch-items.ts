/** One manifest item a batch took, with the task it belongs to (0 in a sweep's batch). */
export type BatchItem = {
  task_id: number;
  org_id: number;
  id: bigint;
  item_id: number | null;
  object_key: string | null;
  bytes: bigint;
};

/** An item a batch took and did not delete, with why. */
export type SetAside = { item: BatchItem; reason: string };

/** Every item a batch took ends in exactly one of these; `storeMs` is the time S3 took. */
export type BatchOutcome = {
  deleted: BatchItem[];
  skipped: SetAside[];
  failed: SetAside[];
  storeMs: number;
};

export type ItemColumns = {
  task_ids: number[];
  org_ids: number[];
  ids: string[];
  item_ids: (number | null)[];
  object_keys: (string | null)[];
  bytes: string[];
};

/**
 * Items that came back from the database as one row of arrays: a thousand
 * result rows cost the worker more to decode than the database to find.
 */
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
