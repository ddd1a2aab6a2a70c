import { agedRows, deleteRows, rowFacts, tableInventory, type RowCategory } from "./category";
import { FINISHED_TASK_STATES } from "../policy/defaults";
import { sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";

const FINISHED = sql`t.status::text = ANY(${[...FINISHED_TASK_STATES]}::text[]) AND t.finished_at IS NOT NULL`;

export const taskQueue: RowCategory = {
  kind: "rows",
  key: "TASK_QUEUE",
  table: "task_queue_entries",
  label: CATEGORY_LABELS.TASK_QUEUE,
  agedBy: "finished",
  action: "delete",
  storesObjects: false,
  eligible: agedRows({ table: "task_queue_entries", agedBy: "finished_at", where: FINISHED }),
  inventory: (orgIds) => tableInventory("task_queue_entries", orgIds),
  purgeRows: (tx, ids, keep) => deleteRows(tx, "task_queue_entries", ids, keep),
  facts: rowFacts("task_queue_entries", "finished_at", sql`NOT (${FINISHED})`, "task not finished"),
};
