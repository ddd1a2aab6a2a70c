import {
  ACTIVE_HOLD,
  agedRows,
  deleteRows,
  rowFacts,
  tableInventory,
  type RowCategory,
} from "./category";
import { sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";
import { artifactPinned } from "../policy/pin-rules";

/** An analysis of a held artifact is covered by the artifact's hold. */
const ARTIFACT_HELD = sql`EXISTS (SELECT 1 FROM legal_holds h WHERE h.artifact_id = t.artifact_id AND ${ACTIVE_HOLD})`;

export const imageAnalyses: RowCategory = {
  kind: "rows",
  key: "IMAGE_ANALYSES",
  table: "image_analyses",
  label: CATEGORY_LABELS.IMAGE_ANALYSES,
  agedBy: "created",
  action: "delete",
  storesObjects: false,
  eligible: agedRows({
    table: "image_analyses",
    agedBy: "created_at",
    // So is one of a pinned artifact, while the pin is in force.
    where: sql`NOT ${ARTIFACT_HELD} AND NOT ${artifactPinned(sql`t.artifact_id`)}`,
  }),
  heldBy: { ARTIFACT: (id) => sql`SELECT org_id FROM image_analyses WHERE artifact_id = ${id}` },
  inventory: (orgIds) => tableInventory("image_analyses", orgIds),
  purgeRows: (tx, ids, keep) => deleteRows(tx, "image_analyses", ids, keep),
  facts: rowFacts(
    "image_analyses",
    "created_at",
    ARTIFACT_HELD,
    "its artifact is under legal hold",
  ),
};
