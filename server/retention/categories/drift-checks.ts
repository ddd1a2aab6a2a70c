import {
  ROW_BYTES,
  rowBytes,
  tableInventory,
  type EligibleQuery,
  type RowCategory,
} from "./category";
import { raw, sql, type Sql } from "../sql";
import { CATEGORY_LABELS } from "./labels";

/** A newer check of the same environment exists: the latest one is always kept. */
const HAS_NEWER_CHECK = sql`EXISTS (
  SELECT 1 FROM drift_checks n
  WHERE n.environment_id = t.environment_id AND (n.checked_at, n.id) > (t.checked_at, t.id)
)`;

/**
 * The latest check of each environment of these orgs (a relation with an
 * `org_id` column), as (environment_id, latest_id) rows: one index probe per
 * environment.
 */
export const latestChecksOf = (orgs: Sql) => sql`
  SELECT e.id AS environment_id, l.id AS latest_id
  FROM environments e
  CROSS JOIN LATERAL (
    SELECT n.id FROM drift_checks n WHERE n.environment_id = e.id
    ORDER BY n.checked_at DESC, n.id DESC LIMIT 1
  ) l
  WHERE e.org_id IN (SELECT x.org_id FROM ${orgs} x)`;

/**
 * These checks, each with the tuple id the batch deletes it by and its
 * newer item when the plan recorded one. Both are read by one index scan
 * of their ids each, in id order (a batch's checks lie together, and so do
 * the environments' latest checks, at the end of the index), rather than
 * one descent per id.
 */
const checksById = (ids: Sql, newer: Sql | undefined) => sql`
  pairs AS MATERIALIZED (
    SELECT * FROM unnest(${ids}, ${newer ?? sql`NULL::int[]`}) AS u(id, newer_item_id)),
  checks AS MATERIALIZED (
    SELECT c.id, c.org_id, c.environment_id, c.checked_at, c.ctid AS row_ctid, p.newer_item_id
    FROM drift_checks c JOIN pairs p ON p.id = c.id
    WHERE c.id = ANY(ARRAY(SELECT id FROM pairs))),
  newer AS MATERIALIZED (
    SELECT n.id, n.environment_id, n.checked_at FROM drift_checks n
    WHERE n.id = ANY(ARRAY(SELECT newer_item_id FROM pairs WHERE newer_item_id IS NOT NULL)))`;

/**
 * The check's bytes, measured on its row looked up by its tuple id: the
 * batch's own record of a check holds a few of its columns and the tuple
 * id. A purge batch, which takes bytes from its plan, never asks for them,
 * so the planner drops the lookup there.
 */
const CHECKED_ROW_BYTES = sql`(SELECT ${raw(rowBytes("r"))} FROM drift_checks r WHERE r.ctid = t.row_ctid)`;

/**
 * Every check of the windows' orgs: "has a newer check" is "is not its
 * environment's latest", and the latest checks of the orgs' environments
 * take one index probe per environment (or come found already, when a plan
 * planned in steps found them once for all its ranges of checks); a per-row
 * search of the environment's history is quadratic at scale. A check of an
 * environment with no latest check among them (filed under another org's
 * environment, never written by the SaaS; or of an environment created since
 * the plan found them) falls back to that search, so the rule holds for any
 * data.
 */
const everyCheck = (query: EligibleQuery) => sql`
  SELECT t.org_id, t.id AS item_id, NULL::text AS object_key, t.checked_at AS aged_at,
         ${raw(ROW_BYTES)} AS bytes, latest.latest_id AS newer_item_id
  FROM drift_checks t
  JOIN ${query.windows} w ON w.org_id = t.org_id
  LEFT JOIN (${query.latestChecks ?? latestChecksOf(query.windows)}) latest ON latest.environment_id = t.environment_id
  WHERE t.checked_at < w.cutoff
    AND (t.id <> latest.latest_id OR (latest.latest_id IS NULL AND ${HAS_NEWER_CHECK}))`;

/**
 * A purge batch's checks, re-checked as it deletes them: a sweep's batch
 * holds checks of a thousand environments, one or two each. A check whose
 * newer item is still there, in its environment and newer than it, is not
 * its environment's latest: that proves on its own what HAS_NEWER_CHECK
 * asks, whatever happened since the dry run, and the batch reads all its
 * newer items in one index scan instead of searching each check's
 * environment's index at a random place. Only when that check is gone
 * (the SaaS deleted it, or another plan purged it after a newer one
 * arrived) is the environment searched. The checks are looked up first
 * (materialized), so the windows are joined to them once.
 */
const batchChecks = (query: EligibleQuery, ids: Sql) => sql`
  WITH ${checksById(ids, query.newer)}
  SELECT t.org_id, t.id AS item_id, NULL::text AS object_key, t.checked_at AS aged_at,
         ${CHECKED_ROW_BYTES} AS bytes, t.row_ctid, t.newer_item_id
  FROM checks t
  JOIN ${query.windows} w ON w.org_id = t.org_id
  LEFT JOIN newer n ON n.id = t.newer_item_id AND n.environment_id = t.environment_id
    AND (n.checked_at, n.id) > (t.checked_at, t.id)
  WHERE t.checked_at < w.cutoff AND (n.id IS NOT NULL OR ${HAS_NEWER_CHECK})`;

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
  recordsNewer: true,
  eligible: (query) => (query.only ? batchChecks(query, query.only) : everyCheck(query)),
  inventory: (orgIds) => tableInventory("drift_checks", orgIds),
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
