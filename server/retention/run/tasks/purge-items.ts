import type { EditableRowCategory, ObjectCategory, RowCategory } from "../../categories/category";
import type { Engine } from "../../deps";
import { idArray, raw, sql, type Tx } from "../../sql";
import { windowsOf, type Slice } from "./slices";

/** One manifest item a batch took, with the task it belongs to. */
export type BatchItem = {
  task_id: number;
  org_id: number;
  id: bigint;
  item_id: number | null;
  object_key: string | null;
  bytes: bigint;
};
export type SetAside = { item: BatchItem; reason: string };
/** Every item a batch took ends in exactly one of these; `storeMs` is the time S3 took. */
export type Outcome = {
  deleted: BatchItem[];
  skipped: SetAside[];
  failed: SetAside[];
  storeMs: number;
};

const REASON_LOOKUPS_PER_BATCH = 20;

/** The orgs among these under an active legal hold, with the reason an item of theirs is kept. */
async function heldOrgs(tx: Tx, orgIds: number[]) {
  const rows = await tx.$queryRaw<{ org_id: number; id: number }[]>(sql`
    SELECT DISTINCT ON (org_id) org_id, id FROM legal_holds
    WHERE org_id = ANY(${orgIds}::int[]) AND scope = 'ORG' AND released_at IS NULL
    ORDER BY org_id, id`);
  return new Map(rows.map((r) => [r.org_id, `kept now: legal hold #${r.id} on the organization`]));
}

/**
 * Why an item of the manifest is not purged now: gone (another run purged
 * it), its org's hold, or what keeps it, looked up for the first few.
 */
async function skipReasons(
  tx: Tx,
  category: RowCategory,
  items: BatchItem[],
  held: Map<number, string>,
): Promise<SetAside[]> {
  if (items.length === 0) return [];
  const [row] = await tx.$queryRaw<{ ids: number[] | null }[]>(sql`
    SELECT array_agg(id) AS ids FROM ${raw(category.table)}
    WHERE id = ANY(${items.map((i) => i.item_id ?? 0)}::int[])`);
  const present = new Set(row?.ids ?? []);
  const skips: SetAside[] = [];
  let lookups = 0;
  for (const item of items) {
    if (item.item_id === null || !present.has(item.item_id)) {
      skips.push({ item, reason: "already gone" });
      continue;
    }
    let reason = held.get(item.org_id) ?? "no longer eligible under the plan's frozen terms";
    if (!held.has(item.org_id) && lookups < REASON_LOOKUPS_PER_BATCH) {
      lookups++;
      const facts = await category.facts(tx, item.item_id);
      reason = !facts
        ? "already gone"
        : facts.keptBecause
          ? `kept now: ${facts.keptBecause}`
          : reason;
    }
    skips.push({ item, reason });
  }
  return skips;
}

/** Deletes the objects of `items` (keyed by `keyOf`); splits them into gone and failed. */
async function deleteObjects(engine: Engine, items: BatchItem[], keyOf: (i: BatchItem) => string) {
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

/** Why each of these items, taken by a batch but not purged by it, was kept. */
export async function whyKept(tx: Tx, category: RowCategory, kept: BatchItem[]) {
  // The windows leave out held orgs; which hold keeps an item is asked only when one is kept.
  const held =
    kept.length > 0 ? await heldOrgs(tx, [...new Set(kept.map((i) => i.org_id))]) : new Map();
  return skipReasons(tx, category, kept, held);
}

/**
 * Rows: lock them, re-check them against the frozen windows now (a new
 * hold, a reopened incident, a newer backup kept… drop them), delete the
 * objects of the rest, then only the rows whose objects are confirmed gone.
 */
export async function purgeRows(
  tx: Tx,
  engine: Engine,
  category: EditableRowCategory,
  slice: Slice,
  items: BatchItem[],
): Promise<Outcome> {
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
  const objects = category.storesObjects
    ? await deleteObjects(engine, candidates, (i) => eligible.get(i.item_id ?? 0) ?? "")
    : { gone: candidates, failed: [], storeMs: 0 };
  const purged = new Set(
    await category.purgeRows(
      tx,
      objects.gone.map((c) => c.item_id ?? 0),
    ),
  );
  const failedIds = new Set(objects.failed.map((f) => f.item.id));
  const kept = items.filter((i) => !purged.has(i.item_id ?? 0) && !failedIds.has(i.id));
  return {
    deleted: items.filter((i) => purged.has(i.item_id ?? 0)),
    skipped: await whyKept(tx, category, kept),
    failed: objects.failed,
    storeMs: objects.storeMs,
  };
}

/** Orphan objects: skip any a row references by now, delete the rest. */
export async function purgeOrphans(
  tx: Tx,
  engine: Engine,
  category: ObjectCategory,
  items: BatchItem[],
): Promise<Outcome> {
  const held = await heldOrgs(tx, [...new Set(items.map((i) => i.org_id))]);
  const skipped: SetAside[] = [];
  for (const item of items) {
    const reason = held.get(item.org_id);
    if (reason) skipped.push({ item, reason });
  }
  const open = items.filter((i) => !held.has(i.org_id));
  const free = await category.stillUnreferenced(
    tx,
    open.map((i) => i.object_key ?? ""),
  );
  for (const item of open)
    if (!free.has(item.object_key ?? ""))
      skipped.push({ item, reason: "kept now: a row references it" });
  const objects = await deleteObjects(
    engine,
    open.filter((i) => free.has(i.object_key ?? "")),
    (i) => i.object_key ?? "",
  );
  return { deleted: objects.gone, skipped, failed: objects.failed, storeMs: objects.storeMs };
}
