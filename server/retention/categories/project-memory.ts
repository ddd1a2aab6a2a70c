import { agedRows, deleteRows, rowFacts, tableInventory, type RowCategory } from "./category";
import { CONVERSATION_CONTEXT_TYPES, PRESERVED_MEMORY_TYPES } from "../policy/defaults";
import { sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";

const IS_PROJECT_MEMORY = sql`NOT (t.type = ANY(${CONVERSATION_CONTEXT_TYPES}::text[]))`;
const IS_PRESERVED = sql`t.type = ANY(${PRESERVED_MEMORY_TYPES}::text[])`;

export const projectMemory: RowCategory = {
  kind: "rows",
  key: "PROJECT_MEMORY",
  table: "memory_items",
  label: CATEGORY_LABELS.PROJECT_MEMORY,
  agedBy: "created",
  action: "delete",
  storesObjects: false,
  eligible: agedRows({
    table: "memory_items",
    agedBy: "created_at",
    where: sql`${IS_PROJECT_MEMORY} AND NOT ${IS_PRESERVED}`,
  }),
  inventory: (orgIds) => tableInventory("memory_items", orgIds, { where: IS_PROJECT_MEMORY }),
  purgeRows: (tx, ids, keep) => deleteRows(tx, "memory_items", ids, keep),
  facts: rowFacts("memory_items", "created_at", IS_PRESERVED, "preserved memory type"),
};
