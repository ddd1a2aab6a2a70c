import { agedRows, rowFacts, tableInventory, type RowCategory } from "./category";
import { sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";

const NOT_ARCHIVED = sql`t.archived_at IS NULL`;

/** Prompts are archived, never deleted: they free no bytes. */
export const prompts: RowCategory = {
  kind: "rows",
  key: "PROMPTS",
  table: "prompts",
  label: CATEGORY_LABELS.PROMPTS,
  agedBy: "created",
  action: "archive",
  storesObjects: false,
  eligible: agedRows({
    table: "prompts",
    agedBy: "created_at",
    bytes: "0::bigint",
    where: NOT_ARCHIVED,
  }),
  inventory: (orgIds) => tableInventory("prompts", orgIds, { where: NOT_ARCHIVED }),
  async purgeRows(tx, ids) {
    const rows = await tx.$queryRaw<{ id: number }[]>(sql`
      UPDATE prompts SET archived_at = now()
      WHERE id = ANY(${ids}::int[]) AND archived_at IS NULL RETURNING id`);
    return rows.map((r) => r.id);
  },
  facts: rowFacts("prompts", "created_at", sql`NOT ${NOT_ARCHIVED}`, "already archived"),
};
