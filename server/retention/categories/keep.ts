import type { RetentionCategory } from "../../generated/prisma/enums";
import { raw, sql, type Sql, type Tx } from "../sql";

/** What the restore window keeps of one purged item: its org, its bytes, until when. */
export type KeptTerms = { orgId: number; bytes: bigint; restorableUntil: Date };

/**
 * A purge into the restore window: the items' rows move to `kept_items`
 * instead of being deleted, with their run and how long each stays
 * restorable (by item id).
 */
export type Keep = {
  runId: string;
  category: RetentionCategory;
  items: Map<number, KeptTerms>;
};

export type KeepOptions = {
  /** The live table's column that holds the item id (`id`, or an incident payload's `incident_id`). */
  itemColumn?: string;
  /** The row's object key, an expression over the moved row `g`. */
  objectKey?: string;
  /**
   * What purging the row changes elsewhere, to put back on restore, over
   * the moved row `g`: read in the statement's snapshot, before a foreign
   * key's ON DELETE action runs.
   */
  links?: Sql;
};

/**
 * Moves the rows of `ids` from `table` into `kept_items` in one statement:
 * the whole row as jsonb (to_jsonb; a restore puts it back with
 * jsonb_populate_record, every column exact), its object key and bytes.
 * Its object stays in storage. Returns the ids that were there to move.
 */
export async function keepRows(
  tx: Tx,
  table: string,
  ids: number[],
  keep: Keep,
  options: KeepOptions = {},
): Promise<number[]> {
  const column = raw(options.itemColumn ?? "id");
  const terms = ids.map((id) => keep.items.get(id));
  const [row] = await tx.$queryRaw<{ ids: number[] | null }[]>(sql`
    WITH k AS (
      SELECT * FROM unnest(${ids}::int[], ${terms.map((t) => t?.orgId ?? null)}::int[],
                           ${terms.map((t) => (t?.bytes ?? 0n).toString())}::bigint[],
                           ${terms.map((t) => t?.restorableUntil ?? null)}::timestamptz[])
        AS k(item_id, org_id, bytes, until)),
    gone AS (DELETE FROM ${raw(table)} t USING k WHERE t.${column} = k.item_id RETURNING t.*),
    kept AS (
      INSERT INTO kept_items (run_id, category, org_id, item_id, row, links, object_key, bytes,
                              restorable_until)
      SELECT ${keep.runId}, ${keep.category}::"RetentionCategory", k.org_id, k.item_id, to_jsonb(g),
             ${options.links ?? sql`NULL::jsonb`}, ${raw(options.objectKey ?? "NULL::text")},
             k.bytes, k.until
      FROM gone g JOIN k ON k.item_id = g.${column}
      RETURNING item_id)
    SELECT array_agg(item_id) AS ids FROM kept`);
  return row?.ids ?? [];
}

/**
 * Puts kept rows back into `table`, with their ids and every column as
 * they were (jsonb_populate_record of the kept row, or of `restoredRow`,
 * an expression over `k.row`).
 */
export async function putBackRows(
  tx: Tx,
  table: string,
  keptIds: bigint[],
  restoredRow: Sql = sql`k.row`,
) {
  await tx.$executeRaw(sql`
    INSERT INTO ${raw(table)}
    SELECT (jsonb_populate_record(NULL::${raw(table)}, ${restoredRow})).*
    FROM kept_items k WHERE k.id = ANY(${keptIds}::bigint[]) ORDER BY k.item_id`);
}
