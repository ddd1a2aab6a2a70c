import type { RetentionCategory } from "../../generated/prisma/enums";
import type { ItemRange, RowCategory } from "../categories/category";
import { sql, type Sql, type Tx } from "../sql";

/**
 * The entry parts a swept category's planning step writes, within its
 * manifest statement: for each org of the windows that stores rows among
 * the step's item ids, how many it stores there and their bytes, and how
 * many of them the step wrote (`written`: the plan items it inserted) and
 * their bytes. The step reads those ids' rows in item order anyway; an
 * org's entry summed from its parts reads neither the manifest nor the
 * category's table, whose rows of a range of orgs lie scattered across the
 * whole of both (see run/sweeps/).
 */
export const entryPartsSql = (
  planId: string,
  category: RowCategory,
  windows: Sql,
  written: Sql,
  items: ItemRange,
): Sql => sql`
  INSERT INTO plan_entry_parts (plan_id, org_id, category, items, bytes, stored_items, stored_bytes)
  SELECT ${planId}, coalesce(s.org_id, w.org_id), ${category.key}::"RetentionCategory",
         coalesce(w.items, 0), coalesce(w.bytes, 0),
         greatest(s.items, w.items), greatest(s.bytes, w.bytes)
  FROM (SELECT * FROM (${category.inventory(null, items)}) i
        WHERE i.org_id IN (SELECT org_id FROM ${windows})) s
  FULL JOIN (SELECT org_id, count(*)::bigint AS items, coalesce(sum(bytes), 0)::bigint AS bytes
             FROM ${written} GROUP BY org_id) w ON w.org_id = s.org_id`;

export type SummedParts = {
  org_id: number;
  category: RetentionCategory;
  items: number;
  bytes: bigint;
  stored_items: bigint;
  stored_bytes: bigint;
};

/**
 * These orgs' entry parts of a swept category, summed per org, and deleted:
 * their entries' counts, bytes and what each org stores, for the orgs with
 * items in the plan. Taken in the entry
 * step's transaction, so a step that dies leaves them for its next attempt.
 */
export function takeEntryParts(
  tx: Tx,
  planId: string,
  category: RetentionCategory,
  orgIds: number[],
) {
  return tx.$queryRaw<SummedParts[]>(sql`
    WITH taken AS (
      DELETE FROM plan_entry_parts
      WHERE plan_id = ${planId} AND category = ${category}::"RetentionCategory"
        AND org_id = ANY(${orgIds}::int[])
      RETURNING org_id, items, bytes, stored_items, stored_bytes)
    SELECT org_id, ${category}::"RetentionCategory" AS category, sum(items)::int AS items,
           sum(bytes)::bigint AS bytes, sum(stored_items)::bigint AS stored_items,
           sum(stored_bytes)::bigint AS stored_bytes
    FROM taken GROUP BY org_id HAVING sum(items) > 0 ORDER BY org_id`);
}
