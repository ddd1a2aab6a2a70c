import { rowCategories } from "../categories";
import type { RowCategory } from "../categories/category";
import type { Engine } from "../deps";
import { backupKeep } from "../policy/effective-window";
import { loadOverrides, windowsFor, windowsRelation, type ScopedOrg } from "../policy/org-windows";
import { raw, sql, type Sql } from "../sql";

/** What an export reads: an org, as of when, and how many days ahead. */
export type DueScope = { org: ScopedOrg; asOf: Date; withinDays: number };

/** The categories whose items are rows: the ones an export can take (orphan objects have no row). */
export const exportableCategories = () => rowCategories().map((c) => c.key);

/**
 * The category's eligible items of the org at `asOf + withinDays`: its own
 * rule under the org's effective windows, shifted as a forecast shifts them.
 * Null when nothing of the org's is ever eligible (an unlimited window).
 */
async function dueRelation(engine: Engine, category: RowCategory, scope: DueScope) {
  const overrides = await loadOverrides(engine.db, [scope.org.id]);
  const windows = windowsFor(
    category,
    [scope.org],
    engine.settings.policy,
    overrides,
    scope.asOf,
    scope.withinDays,
  );
  if (windows.length === 0) return null;
  const eligible = category.eligible({
    windows: sql`windows`,
    keepNewest: backupKeep(engine.settings.policy),
  });
  return (select: Sql, tail: Sql = sql``) => sql`
    WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)}
    ${select} FROM (${eligible}) e ${tail}`;
}

export type DueTotals = { rows: bigint; objects: bigint; objectBytes: bigint };

/** How many rows, objects and object bytes fall due: one aggregate query, set-based. */
export async function dueTotals(
  engine: Engine,
  category: RowCategory,
  scope: DueScope,
): Promise<DueTotals> {
  const due = await dueRelation(engine, category, scope);
  if (!due) return { rows: 0n, objects: 0n, objectBytes: 0n };
  const [row] = await engine.db.$queryRaw<DueTotals[]>(
    due(sql`SELECT count(*)::bigint AS rows, count(e.object_key)::bigint AS objects,
      coalesce(sum(e.bytes) FILTER (WHERE e.object_key IS NOT NULL), 0)::bigint AS "objectBytes"`),
  );
  return row ?? { rows: 0n, objects: 0n, objectBytes: 0n };
}

/** One due item: its id, and its object's key and bytes when it has an object. */
export type DueItem = { itemId: number; objectKey: string | null; bytes: bigint };

/**
 * The due items in item order, a page at a time (keyset on the item id):
 * never the org's whole table in memory.
 */
export async function* dueItems(
  engine: Engine,
  category: RowCategory,
  scope: DueScope,
  pageSize: number,
): AsyncGenerator<DueItem[]> {
  const due = await dueRelation(engine, category, scope);
  if (!due) return;
  for (let after = 0; ;) {
    const page = await engine.db.$queryRaw<DueItem[]>(
      due(
        sql`SELECT e.item_id AS "itemId", e.object_key AS "objectKey", e.bytes::bigint AS bytes`,
        sql`WHERE e.item_id > ${after} ORDER BY e.item_id LIMIT ${pageSize}`,
      ),
    );
    const last = page.at(-1);
    if (!last) return;
    yield page;
    after = last.itemId;
  }
}

/** The live rows of these ids, every column, in id order (what purging them would take). */
export function liveRows(engine: Engine, category: RowCategory, ids: number[]) {
  const array = sql`${ids}::int[]`;
  return engine.db.$queryRaw<Record<string, unknown>[]>(
    category.exportedRows?.(array) ??
      sql`SELECT t.* FROM ${raw(category.table)} t WHERE t.id = ANY(${array}) ORDER BY t.id`,
  );
}
