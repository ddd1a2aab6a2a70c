import type { ObjectCategory, RowCategory } from "./categories/category";
import type { Engine } from "./engine";
import { raw, sql, windowsRelation, type Tx } from "./sql";
import type { Slice } from "./slice";

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
/** Every item a batch took ends in exactly one of these. */
export type Outcome = { deleted: BatchItem[]; skipped: SetAside[]; failed: SetAside[] };

const REASON_LOOKUPS_PER_BATCH = 20;

/** The orgs among these under an active legal hold, with the reason an item of theirs is kept. */
async function heldOrgs(tx: Tx, orgIds: number[]) {
  const rows = await tx.$queryRaw<{ org_id: number; id: number }[]>(sql`
    SELECT DISTINCT ON (org_id) org_id, id FROM legal_holds
    WHERE org_id = ANY(${orgIds}::int[]) AND scope = 'ORG' AND released_at IS NULL
    ORDER BY org_id, id`);
  return new Map(rows.map((r) => [r.org_id, `kept now: legal hold #${r.id} on the organization`]));
}

/** Why an item of the manifest is not purged now; looked up for the first few of a batch. */
async function skipReasons(
  tx: Tx,
  category: RowCategory,
  items: BatchItem[],
  held: Map<number, string>,
): Promise<SetAside[]> {
  const skips: SetAside[] = [];
  let lookups = 0;
  for (const item of items) {
    let reason = held.get(item.org_id) ?? "no longer eligible under the plan's frozen terms";
    if (!held.has(item.org_id) && lookups < REASON_LOOKUPS_PER_BATCH && item.item_id !== null) {
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
  if (items.length === 0) return { gone: items, failed: [] };
  const outcome = await engine.store.deleteMany(items.map(keyOf));
  const deleted = new Set(outcome.deleted);
  const why = new Map(outcome.failed.map((f) => [f.key, f.reason]));
  const failed: SetAside[] = items
    .filter((i) => !deleted.has(keyOf(i)))
    .map((item) => ({
      item,
      reason: `object not deleted: ${why.get(keyOf(item)) ?? "unknown"}`,
    }));
  return { gone: items.filter((i) => deleted.has(keyOf(i))), failed };
}

/**
 * Rows: lock them, re-check them against the frozen windows now (a new
 * hold, a reopened incident, a newer backup kept… drop them), delete the
 * objects of the rest, then only the rows whose objects are confirmed gone.
 */
export async function purgeRows(
  tx: Tx,
  engine: Engine,
  category: RowCategory,
  slice: Slice,
  items: BatchItem[],
): Promise<Outcome> {
  const ids = items.map((i) => i.item_id).filter((id): id is number => id !== null);
  // Lock the items' rows first, in id order: a second run purging the same
  // items waits here, then finds them gone. Two runs never work an item at
  // once, and the re-check below sees every change committed before the lock.
  await tx.$queryRaw(
    sql`SELECT id FROM ${raw(category.table)} WHERE id = ANY(${ids}::int[]) ORDER BY id FOR UPDATE`,
  );
  const orgIds = [...new Set(items.map((i) => i.org_id))];
  const windows = slice.tasks.filter((t) => orgIds.includes(t.orgId)).map((t) => t.window);
  const still = await tx.$queryRaw<{ item_id: number; object_key: string | null }[]>(sql`
    WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)}
    SELECT e.item_id, e.object_key FROM (${category.eligible({
      windows: sql`windows`,
      only: ids,
      keepNewest: slice.keepNewest,
      memberId: slice.memberId,
    })}) e`);
  const eligible = new Map(still.map((s) => [s.item_id, s.object_key ?? ""]));
  const held = await heldOrgs(tx, orgIds);
  const isEligible = (i: BatchItem) => i.item_id !== null && eligible.has(i.item_id);
  const skipped = await skipReasons(
    tx,
    category,
    items.filter((i) => !isEligible(i)),
    held,
  );
  let candidates = items.filter(isEligible);
  let failed: SetAside[] = [];
  if (category.storesObjects) {
    const objects = await deleteObjects(
      engine,
      candidates,
      (i) => eligible.get(i.item_id ?? 0) ?? "",
    );
    candidates = objects.gone;
    failed = objects.failed;
  }
  const purged = new Set(
    await category.purgeRows(
      tx,
      candidates.map((c) => c.item_id ?? 0),
    ),
  );
  for (const c of candidates)
    if (!purged.has(c.item_id ?? 0)) skipped.push({ item: c, reason: "already gone" });
  return { deleted: candidates.filter((c) => purged.has(c.item_id ?? 0)), skipped, failed };
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
  return { deleted: objects.gone, skipped, failed: objects.failed };
}
