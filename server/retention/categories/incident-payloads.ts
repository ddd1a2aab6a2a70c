import { ACTIVE_HOLD, type RowCategory } from "./category";
import { onlyIds, sql } from "../sql";
import { keepRows } from "./keep";
import { CATEGORY_LABELS } from "./labels";
import { incidentPinned } from "../policy/pin-rules";

const INCIDENT_HELD = sql`EXISTS (SELECT 1 FROM legal_holds h WHERE h.incident_id = i.id AND ${ACTIVE_HOLD})`;

/**
 * Items are incidents (ids of the incident, not of the payload row): the
 * payload goes, the incident row stays with payloadPurgedAt set. Open
 * incidents are never eligible.
 */
export const incidentPayloads: RowCategory = {
  kind: "rows",
  key: "INCIDENT_PAYLOADS",
  table: "incidents",
  label: CATEGORY_LABELS.INCIDENT_PAYLOADS,
  agedBy: "closed",
  action: "purge payload",
  storesObjects: false,
  eligible: (query) => sql`
    SELECT i.org_id, i.id AS item_id, NULL::text AS object_key, p.bytes, i.closed_at AS aged_at
    FROM incidents i
    JOIN incident_payloads p ON p.incident_id = i.id
    JOIN ${query.windows} w ON w.org_id = i.org_id
    WHERE i.status = 'CLOSED' AND i.closed_at < w.cutoff AND NOT ${INCIDENT_HELD}
      AND NOT ${incidentPinned(sql`i.id`)}
      ${onlyIds(sql`i.id`, query.only)}`,
  heldBy: { INCIDENT: (id) => sql`SELECT org_id FROM incidents WHERE id = ${id}` },
  inventory: (orgIds) => sql`
    SELECT i.org_id, count(*)::bigint AS items, coalesce(sum(p.bytes), 0)::bigint AS bytes
    FROM incident_payloads p JOIN incidents i ON i.id = p.incident_id
    ${orgIds ? sql`WHERE i.org_id = ANY(${orgIds}::int[])` : sql``}
    GROUP BY i.org_id`,
  keptTable: "incident_payloads",
  // The incident, and the payload that purging takes.
  exportedRows: (ids) => sql`
    SELECT i.*, to_jsonb(p) AS payload FROM incidents i
    JOIN incident_payloads p ON p.incident_id = i.id
    WHERE i.id = ANY(${ids}) ORDER BY i.id`,
  // Its payload back: the banner goes.
  async putBack(tx, keptIds) {
    await tx.$executeRaw(sql`
      UPDATE incidents SET payload_purged_at = NULL
      WHERE id IN (SELECT item_id FROM kept_items WHERE id = ANY(${keptIds}::bigint[]))`);
  },
  async purgeRows(tx, ids, keep) {
    // Lock the incidents first: a reopen waits for this batch, and a
    // reopened incident is never purged.
    const closed = await tx.$queryRaw<{ id: number }[]>(sql`
      SELECT id FROM incidents WHERE id = ANY(${ids}::int[]) AND status = 'CLOSED' FOR UPDATE`);
    const closedIds = closed.map((r) => r.id);
    const purgedIds = keep
      ? await keepRows(tx, "incident_payloads", closedIds, keep, { itemColumn: "incident_id" })
      : (
          await tx.$queryRaw<{ incident_id: number }[]>(sql`
            DELETE FROM incident_payloads WHERE incident_id = ANY(${closedIds}::int[]) RETURNING incident_id`)
        ).map((r) => r.incident_id);
    await tx.$executeRaw(sql`
      UPDATE incidents SET payload_purged_at = now() WHERE id = ANY(${purgedIds}::int[])`);
    return purgedIds;
  },
  async facts(tx, itemId) {
    const [row] = await tx.$queryRaw<
      {
        org_id: number;
        status: string;
        closed_at: Date | null;
        held: boolean;
        has_payload: boolean;
      }[]
    >(sql`
      SELECT i.org_id, i.status::text, i.closed_at, ${INCIDENT_HELD} AS held,
             EXISTS (SELECT 1 FROM incident_payloads p WHERE p.incident_id = i.id) AS has_payload
      FROM incidents i WHERE i.id = ${itemId}`);
    if (!row) return null;
    const keptBecause = !row.has_payload
      ? "payload already purged"
      : row.status !== "CLOSED"
        ? `open incident (${row.status.toLowerCase()})`
        : row.held
          ? "legal hold on this incident"
          : null;
    return { orgId: row.org_id, agedAt: row.closed_at, keptBecause, purged: !row.has_payload };
  },
};
