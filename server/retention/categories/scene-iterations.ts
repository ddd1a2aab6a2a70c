import { agedRows, deleteRows, rowFacts, tableInventory, type RowCategory } from "./category";
import { sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";

export const sceneIterations: RowCategory = {
  kind: "rows",
  key: "SCENE_ITERATIONS",
  table: "scene_iterations",
  label: CATEGORY_LABELS.SCENE_ITERATIONS,
  agedBy: "created",
  action: "delete",
  storesObjects: false,
  eligible: agedRows({ table: "scene_iterations", agedBy: "created_at" }),
  inventory: (orgIds) => tableInventory("scene_iterations", orgIds),
  purgeRows: (tx, ids, keep) => deleteRows(tx, "scene_iterations", ids, keep),
  facts: rowFacts("scene_iterations", "created_at", sql`FALSE`, ""),
};
