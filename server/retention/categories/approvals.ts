import { ACTIVE_HOLD, deleteRows, ROW_BYTES, tableInventory, type RowCategory } from "./category";
import { onlyIds, raw, sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";
import { incidentPinned } from "../policy/pin-rules";

/** Approvals belong to their incident: kept while it is open or held. */
const INCIDENT_CLOSED_AND_FREE = sql`EXISTS (
  SELECT 1 FROM incidents i
  WHERE i.id = t.incident_id AND i.status = 'CLOSED'
    AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.incident_id = i.id AND ${ACTIVE_HOLD})
)`;

export const approvals: RowCategory = {
  kind: "rows",
  key: "APPROVALS",
  table: "approvals",
  label: CATEGORY_LABELS.APPROVALS,
  agedBy: "created",
  action: "delete",
  storesObjects: false,
  eligible: (query) => sql`
    SELECT t.org_id, t.id AS item_id, NULL::text AS object_key,
           ${raw(ROW_BYTES)} AS bytes, t.created_at AS aged_at
    FROM approvals t
    JOIN ${query.windows} w ON w.org_id = t.org_id
    WHERE t.created_at < w.cutoff AND ${INCIDENT_CLOSED_AND_FREE}
      AND NOT ${incidentPinned(sql`t.incident_id`)}
      ${onlyIds(sql`t.id`, query.only)}`,
  heldBy: { INCIDENT: (id) => sql`SELECT org_id FROM approvals WHERE incident_id = ${id}` },
  inventory: (orgIds) => tableInventory("approvals", orgIds),
  purgeRows: (tx, ids, keep) => deleteRows(tx, "approvals", ids, keep),
  // The purge notes stop counting the approvals that came back.
  async putBack(tx, keptIds) {
    await tx.$executeRaw(sql`
      WITH back AS (
        SELECT (row ->> 'incident_id')::int AS incident_id, count(*)::int AS items
        FROM kept_items WHERE id = ANY(${keptIds}::bigint[]) GROUP BY 1)
      UPDATE purge_notes n SET items = n.items - b.items FROM back b
      WHERE n.category = 'APPROVALS' AND n.shell_id = b.incident_id`);
    await tx.$executeRaw(sql`DELETE FROM purge_notes WHERE category = 'APPROVALS' AND items <= 0`);
  },
  async facts(tx, itemId) {
    const [row] = await tx.$queryRaw<{ org_id: number; created_at: Date; free: boolean }[]>(sql`
      SELECT t.org_id, t.created_at, ${INCIDENT_CLOSED_AND_FREE} AS free
      FROM approvals t WHERE t.id = ${itemId}`);
    if (!row) return null;
    return {
      orgId: row.org_id,
      agedAt: row.created_at,
      keptBecause: row.free ? null : "its incident is open or under legal hold",
    };
  },
};
