import type { HoldScope, RetentionCategory } from "../../generated/prisma/enums";
import { rowCategories } from "../categories";
import { noticeCategories } from "../notices/told-categories";
import { sql, type Sql, type Tx } from "../sql";

/**
 * The pairs an event touched, as a relation of (org_id, category text):
 * the org × category pairs whose forecast it may have changed.
 */
export type TouchedPairs = Sql;

/** The categories the forecast covers: those whose items are rows. */
export const forecastCategories = (): RetentionCategory[] => rowCategories().map((c) => c.key);

const NO_PAIRS = sql`SELECT NULL::int AS org_id, NULL::text AS category WHERE FALSE`;

/**
 * An org's notice settings saved, or one of its notices told: the categories
 * a notice tells of, whose notice period reads both (see notices/period.ts).
 */
export const noticePairs = (orgId: number): TouchedPairs =>
  sql`SELECT ${orgId}::int AS org_id, c AS category
      FROM unnest(${noticeCategories().map((c) => c.key)}::text[]) AS c`;

/** An override set or cleared: its own org × category. */
export const overridePairs = (orgId: number, category: RetentionCategory): TouchedPairs =>
  sql`SELECT ${orgId}::int AS org_id, ${category}::text AS category`;

export type HoldTarget = {
  scope: HoldScope;
  orgId: number;
  incidentId: number | null;
  artifactId: number | null;
};

/**
 * A legal hold placed or released: an org hold, every category of its org
 * (the windows leave a held org out); a hold on an incident or an artifact,
 * the pairs of every category whose rule reads such holds (`heldBy`), for
 * the orgs whose rows refer to that target.
 */
export function holdPairs(hold: HoldTarget): TouchedPairs {
  if (hold.scope === "ORG")
    return sql`SELECT ${hold.orgId}::int AS org_id, c AS category
               FROM unnest(${forecastCategories()}::text[]) AS c`;
  const target = hold.scope === "INCIDENT" ? hold.incidentId : hold.artifactId;
  if (target === null) return NO_PAIRS;
  return rowCategories()
    .flatMap((c) => {
      const orgs = c.heldBy?.[hold.scope as Exclude<HoldScope, "ORG">];
      return orgs
        ? [sql`SELECT o.org_id, ${c.key}::text AS category FROM (${orgs(target)}) o`]
        : [];
    })
    .reduce((acc, part) => sql`${acc} UNION ALL ${part}`, NO_PAIRS);
}

/**
 * A run that ended: the pairs its tasks deleted (or archived) items of, and
 * those whose rows that changed (`purgeChanges`). A purge changes nothing
 * else: an item's rule reads its own org's rows, and what a run deletes was
 * eligible, so never held, never an environment's latest check or one of
 * its newest backups. An erasure is a run like any other: its org's
 * artifacts.
 */
export function runPairs(runId: string): TouchedPairs {
  const changes = rowCategories().flatMap((c) =>
    (c.purgeChanges ?? []).map((other) => ({ purged: c.key, changed: other })),
  );
  return sql`
    SELECT t.org_id, t.category::text AS category FROM purge_tasks t
    WHERE t.run_id = ${runId} AND t.deleted > 0
    UNION
    SELECT t.org_id, c.changed AS category FROM purge_tasks t
    JOIN unnest(${changes.map((c) => c.purged)}::text[], ${changes.map((c) => c.changed)}::text[])
      AS c(purged, changed) ON c.purged = t.category::text
    WHERE t.run_id = ${runId} AND t.deleted > 0`;
}

/**
 * A restore: the pairs of the kept rows it brought back, and those whose
 * rows their return changed (`purgeChanges`: an artifact's image analyses
 * point at it again).
 */
export function restorePairs(keptIds: bigint[]): TouchedPairs {
  const changes = rowCategories().flatMap((c) =>
    (c.purgeChanges ?? []).map((other) => ({ purged: c.key, changed: other })),
  );
  return sql`
    SELECT DISTINCT k.org_id, k.category::text AS category FROM kept_items k
    WHERE k.id = ANY(${keptIds}::bigint[])
    UNION
    SELECT DISTINCT k.org_id, c.changed AS category FROM kept_items k
    JOIN unnest(${changes.map((c) => c.purged)}::text[], ${changes.map((c) => c.changed)}::text[])
      AS c(purged, changed) ON c.purged = k.category::text
    WHERE k.id = ANY(${keptIds}::bigint[])`;
}

/**
 * Marks the pairs dirty, in the transaction of the event that touched them:
 * if it commits, the next refresh of the forecast recomputes them, however
 * long until then and whatever crashed in between.
 */
export async function markDirty(tx: Tx, pairs: TouchedPairs) {
  await tx.$executeRaw(sql`
    INSERT INTO forecast_dirty_pairs (org_id, category)
    SELECT DISTINCT p.org_id, p.category::"RetentionCategory" FROM (${pairs}) p
    WHERE p.category = ANY(${forecastCategories()}::text[])`);
}

/** The distinct pairs the marks a refresh took name. */
export type DirtyMarks = { orgIds: number[]; categories: RetentionCategory[] };

/**
 * Takes every mark: deletes them, in the refresh's transaction and before
 * it reads the governed tables, and returns their distinct pairs. A mark
 * committed after this statement stays for the next refresh; a refresh that
 * rolls back puts the marks back. The pairs are grouped here, so a backlog
 * of marks (days of runs while nobody opened the forecast) costs the
 * database a scan, never the server's memory.
 */
export async function takeMarks(tx: Tx): Promise<DirtyMarks> {
  const [row] = await tx.$queryRaw<
    { org_ids: number[] | null; categories: RetentionCategory[] | null }[]
  >(sql`
    WITH m AS (DELETE FROM forecast_dirty_pairs RETURNING org_id, category),
    p AS (SELECT DISTINCT org_id, category FROM m)
    SELECT array_agg(org_id ORDER BY org_id, category) AS org_ids,
           array_agg(category::text ORDER BY org_id, category) AS categories
    FROM p`);
  return { orgIds: row?.org_ids ?? [], categories: row?.categories ?? [] };
}

/** How many orgs have a dirty pair: what an incremental refresh would recompute. */
export async function dirtyOrgCount(tx: Tx): Promise<number> {
  const [row] = await tx.$queryRaw<{ n: number }[]>(
    sql`SELECT count(DISTINCT org_id)::int AS n FROM forecast_dirty_pairs`,
  );
  return row?.n ?? 0;
}
