import { deleteRows, tableInventory, type EligibleQuery, type RowCategory } from "./category";
import { onlyIds, sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";

/** N for a backup's environment: prod, qa, dev, test by name, `other` for the rest. */
const keepFor = (keep: EligibleQuery["keepNewest"]) => sql`CASE e.name
  WHEN 'prod' THEN ${keep.prod}::int WHEN 'qa' THEN ${keep.qa}::int
  WHEN 'dev' THEN ${keep.dev}::int WHEN 'test' THEN ${keep.test}::int
  ELSE ${keep.other}::int END`;

/**
 * Backups are kept by count. A backup falls out of the newest N when the
 * N-th backup newer than it is made: that moment (`lag` by N over the
 * environment's backups, newest first) is what ages it, and it is
 * eligible from then on. The batch filter stays outside the window so the
 * ranking always sees every backup of the environment.
 */
export const backups: RowCategory = {
  kind: "rows",
  key: "BACKUPS",
  table: "backups",
  label: CATEGORY_LABELS.BACKUPS,
  agedBy: "displaced from the newest N",
  action: "delete object and row",
  storesObjects: true,
  keepsNewest: true,
  eligible: (query) => sql`
    SELECT r.org_id, r.item_id, r.object_key, r.bytes, r.aged_at
    FROM (
      SELECT b.org_id, b.id AS item_id, b.object_key, b.bytes, w.cutoff,
             lag(b.created_at, ${keepFor(query.keepNewest)}) OVER (
               PARTITION BY b.environment_id ORDER BY b.created_at DESC, b.id DESC
             ) AS aged_at
      FROM backups b
      JOIN environments e ON e.id = b.environment_id
      JOIN ${query.windows} w ON w.org_id = b.org_id
    ) r
    WHERE r.aged_at IS NOT NULL AND r.aged_at <= r.cutoff
      ${onlyIds(sql`r.item_id`, query.only)}`,
  inventory: (orgIds) => tableInventory("backups", orgIds, { bytes: "t.bytes" }),
  purgeRows: (tx, ids, keep) => deleteRows(tx, "backups", ids, keep, { objectKey: "g.object_key" }),
  async facts(tx, itemId) {
    const [row] = await tx.$queryRaw<
      { org_id: number; created_at: Date; environment: string; newer: number }[]
    >(sql`
      SELECT b.org_id, b.created_at, e.name AS environment,
        (SELECT count(*)::int FROM backups n
         WHERE n.environment_id = b.environment_id AND (n.created_at, n.id) > (b.created_at, b.id)) AS newer
      FROM backups b JOIN environments e ON e.id = b.environment_id
      WHERE b.id = ${itemId}`);
    if (!row) return null;
    // Whether `newer` reaches N depends on the policy: explain() decides.
    return {
      orgId: row.org_id,
      agedAt: row.created_at,
      keptBecause: null,
      newerBackups: row.newer,
      environment: row.environment,
    };
  },
};
