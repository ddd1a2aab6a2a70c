import { agedRows, deleteRows, rowFacts, tableInventory, type RowCategory } from "./category";
import { sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";

const RESOLVED = sql`t.resolved_at IS NOT NULL`;

export const errors: RowCategory = {
  kind: "rows",
  key: "ERRORS",
  table: "errors",
  label: CATEGORY_LABELS.ERRORS,
  agedBy: "resolved",
  action: "delete",
  storesObjects: false,
  eligible: agedRows({ table: "errors", agedBy: "resolved_at", where: RESOLVED }),
  inventory: (orgIds) => tableInventory("errors", orgIds),
  purgeRows: (tx, ids, keep) => deleteRows(tx, "errors", ids, keep),
  facts: rowFacts("errors", "resolved_at", sql`NOT ${RESOLVED}`, "unresolved error (kept forever)"),
};
