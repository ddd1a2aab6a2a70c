import { agedRows, deleteRows, rowFacts, tableInventory, type RowCategory } from "./category";
import { CONVERSATION_CONTEXT_TYPES } from "../policy/defaults";
import { sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";

const IS_CONTEXT = sql`t.type = ANY(${CONVERSATION_CONTEXT_TYPES}::text[])`;

export const conversationContext: RowCategory = {
  kind: "rows",
  key: "CONVERSATION_CONTEXT",
  table: "memory_items",
  label: CATEGORY_LABELS.CONVERSATION_CONTEXT,
  agedBy: "created",
  action: "delete",
  storesObjects: false,
  eligible: agedRows({ table: "memory_items", agedBy: "created_at", where: IS_CONTEXT }),
  inventory: (orgIds) => tableInventory("memory_items", orgIds, { where: IS_CONTEXT }),
  purgeRows: (tx, ids, keep) => deleteRows(tx, "memory_items", ids, keep),
  facts: rowFacts(
    "memory_items",
    "created_at",
    sql`NOT ${IS_CONTEXT}`,
    "not a conversation-context type",
  ),
};
