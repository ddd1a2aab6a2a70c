import { ACTIVE_HOLD, deleteRows, tableInventory, type RowCategory } from "./category";
import { onlyIds, sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";
import { artifactPinned } from "../policy/pin-rules";

export const artifacts: RowCategory = {
  kind: "rows",
  key: "ARTIFACTS",
  table: "artifacts",
  label: CATEGORY_LABELS.ARTIFACTS,
  agedBy: "created",
  action: "delete object and row",
  storesObjects: true,
  eligible: (query) => sql`
    SELECT t.org_id, t.id AS item_id, t.object_key, t.bytes, t.created_at AS aged_at
    FROM artifacts t
    JOIN ${query.windows} w ON w.org_id = t.org_id
    WHERE t.created_at < w.cutoff
      AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.artifact_id = t.id AND ${ACTIVE_HOLD})
      AND NOT ${artifactPinned(sql`t.id`)}
      ${query.memberId !== undefined ? sql`AND t.member_id = ${query.memberId}` : sql``}
      ${onlyIds(sql`t.id`, query.only)}`,
  // Their image analyses lose the reference to it.
  purgeChanges: ["IMAGE_ANALYSES"],
  heldBy: { ARTIFACT: (id) => sql`SELECT org_id FROM artifacts WHERE id = ${id}` },
  inventory: (orgIds) => tableInventory("artifacts", orgIds, { bytes: "t.bytes" }),
  // Its image analyses point at it again (those still without an artifact).
  async putBack(tx, keptIds) {
    await tx.$executeRaw(sql`
      UPDATE image_analyses a SET artifact_id = k.item_id
      FROM kept_items k CROSS JOIN jsonb_array_elements_text(k.links -> 'imageAnalyses') l(id)
      WHERE k.id = ANY(${keptIds}::bigint[]) AND a.id = l.id::int AND a.artifact_id IS NULL`);
  },
  // Kept: its object key, and the image analyses that lose their reference
  // to it (ON DELETE SET NULL), which a restore points back at it.
  purgeRows: (tx, ids, keep) =>
    deleteRows(tx, "artifacts", ids, keep, {
      objectKey: "g.object_key",
      links: sql`jsonb_build_object('imageAnalyses', (
        SELECT coalesce(jsonb_agg(a.id ORDER BY a.id), '[]') FROM image_analyses a WHERE a.artifact_id = g.id))`,
    }),
  async facts(tx, itemId) {
    const [row] = await tx.$queryRaw<
      { org_id: number; created_at: Date; hold_id: number | null }[]
    >(sql`
      SELECT a.org_id, a.created_at,
        (SELECT h.id FROM legal_holds h WHERE h.artifact_id = a.id AND ${ACTIVE_HOLD} LIMIT 1) AS hold_id
      FROM artifacts a WHERE a.id = ${itemId}`);
    if (!row) return null;
    return {
      orgId: row.org_id,
      agedAt: row.created_at,
      keptBecause: row.hold_id ? `legal hold #${row.hold_id} on this artifact` : null,
    };
  },
};
