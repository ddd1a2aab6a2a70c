import { tableInventory, type EligibleQuery, type RowCategory } from "./category";
import { sql, type Sql } from "../sql";
import { CATEGORY_LABELS } from "../labels";

/** A newer check of the same environment exists: the latest one is always kept. */
const HAS_NEWER_CHECK = sql`EXISTS (
  SELECT 1 FROM drift_checks n
  WHERE n.environment_id = t.environment_id AND (n.checked_at, n.id) > (t.checked_at, t.id)
)`;

/** The latest check of each environment of the windows' orgs. */
const latestChecks = (windows: Sql) => sql`
  SELECT e.id AS environment_id, l.id AS latest_id
  FROM environments e
  CROSS JOIN LATERAL (
    SELECT n.id FROM drift_checks n WHERE n.environment_id = e.id
    ORDER BY n.checked_at DESC, n.id DESC LIMIT 1
  ) l
  WHERE e.org_id IN (SELECT x.org_id FROM ${windows} x)`;

/**
 * These checks, each found by its id (OFFSET 0 keeps the planner from
 * turning it into a scan), with the tuple id the batch deletes it by.
 * Materialized, so the re-check joins them to the windows and latest
 * checks once; inline, the planner rebuilt both joins' hash tables for
 * every check (a quarter of a batch's re-check time).
 */
const checksById = (ids: Sql) => sql`(
  SELECT d.* FROM unnest(${ids}) AS only_ids(id)
  CROSS JOIN LATERAL (
    SELECT c.id, c.org_id, c.environment_id, c.checked_at, c.ctid AS row_ctid
    FROM drift_checks c WHERE c.id = only_ids.id OFFSET 0) d)`;

/**
 * The row's own size, looked up by its tuple id: the record with its tuple
 * id would be larger. A purge batch, which takes bytes from its plan, never
 * asks for it, so the planner drops the lookup there.
 */
const ROW_BYTES = sql`(SELECT pg_column_size(r.*)::bigint FROM drift_checks r WHERE r.ctid = t.row_ctid)`;

/** Where the checks and the latest ones come from: a batch's own checks, or every check. */
function sources(query: EligibleQuery) {
  if (!query.only)
    return {
      prelude: sql``,
      checks: sql`drift_checks`,
      columns: sql`pg_column_size(t.*)::bigint AS bytes`,
      latest: sql`(${latestChecks(query.windows)})`,
    };
  return {
    prelude: sql`WITH latest AS MATERIALIZED (${latestChecks(query.windows)}),
                      checked AS MATERIALIZED ${checksById(query.only)}`,
    checks: sql`checked`,
    columns: sql`${ROW_BYTES} AS bytes, t.row_ctid`,
    latest: sql`latest`,
  };
}

export const driftChecks: RowCategory = {
  kind: "rows",
  key: "DRIFT_CHECKS",
  table: "drift_checks",
  label: CATEGORY_LABELS.DRIFT_CHECKS,
  agedBy: "checked",
  action: "delete",
  storesObjects: false,
  // Purged by deleting the check; its workflow flags go with it (ON DELETE CASCADE).
  neverEdited: true,
  // "Has a newer check" is "is not its environment's latest". The latest
  // checks of the orgs' environments take one index probe per environment;
  // a per-row search of the environment's history is quadratic at scale.
  // A check filed under another org's environment (never written by the
  // SaaS) falls back to that search, so the rule holds for any data.
  //
  // A purge batch re-checks a thousand checks of a few orgs. The planner,
  // expecting a handful, would look up the latest check once per row and
  // walk each org's whole history for the ids: there the few environments'
  // latest checks are looked up once, first, and the checks by their ids.
  eligible: (query) => {
    const from = sources(query);
    return sql`
      ${from.prelude}
      SELECT t.org_id, t.id AS item_id, NULL::text AS object_key, t.checked_at AS aged_at, ${from.columns}
      FROM ${from.checks} t
      JOIN ${query.windows} w ON w.org_id = t.org_id
      LEFT JOIN ${from.latest} latest ON latest.environment_id = t.environment_id
      WHERE t.checked_at < w.cutoff
        AND (t.id <> latest.latest_id OR (latest.latest_id IS NULL AND ${HAS_NEWER_CHECK}))`;
  },
  inventory: (orgIds) => tableInventory("drift_checks", "pg_column_size(t.*)", orgIds),
  async facts(tx, itemId) {
    const [row] = await tx.$queryRaw<
      { org_id: number; checked_at: Date; environment: string; has_newer: boolean }[]
    >(sql`
      SELECT t.org_id, t.checked_at, e.name AS environment, ${HAS_NEWER_CHECK} AS has_newer
      FROM drift_checks t JOIN environments e ON e.id = t.environment_id
      WHERE t.id = ${itemId}`);
    if (!row) return null;
    return {
      orgId: row.org_id,
      agedAt: row.checked_at,
      keptBecause: row.has_newer ? null : `latest check of environment ${row.environment}`,
    };
  },
};
