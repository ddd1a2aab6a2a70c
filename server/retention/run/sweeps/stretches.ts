import type { RetentionCategory } from "../../../generated/prisma/enums";
import { sweptArray } from "../../categories";
import type { BackupEnvironment } from "../../policy/defaults";
import type { Engine } from "../../deps";
import { sql, type Tx } from "../../sql";

/**
 * The sweeps of a new run: each swept category's manifest cut into
 * stretches of about `sweepItems` consecutive plan item ids (the dry run
 * wrote them in item order). A category with tasks gets at least one, even
 * empty: a sweep's end is what ends its orgs' tasks. The bounds come from
 * one index probe per org at each end, not from reading the manifest.
 */
export async function createSweeps(tx: Tx, engine: Engine, runId: string, planId: string) {
  const rows = await tx.$queryRaw<{ id: number }[]>(sql`
    WITH stretch AS (
      SELECT e.category, min(b.lo) AS lo, max(b.hi) AS hi, sum(e.item_count) AS items
      FROM plan_entries e
      CROSS JOIN LATERAL (
        SELECT min(p.id) AS lo, max(p.id) AS hi FROM plan_items p
        WHERE p.plan_id = e.plan_id AND p.org_id = e.org_id AND p.category = e.category) b
      WHERE e.plan_id = ${planId} AND e.category::text = ANY(${sweptArray()})
      GROUP BY e.category),
    cut AS (
      SELECT category, coalesce(lo, 1) AS lo, coalesce(hi - lo + 1, 0) AS span,
             greatest(1, ceil(items::numeric / ${engine.settings.sweepItems}))::int AS parts
      FROM stretch)
    INSERT INTO purge_sweeps (run_id, category, first_item, last_item, settled_through)
    SELECT ${runId}, c.category, c.lo + c.span * k / c.parts, c.lo + c.span * (k + 1) / c.parts - 1,
           c.lo + c.span * k / c.parts - 1
    FROM cut c CROSS JOIN LATERAL generate_series(0, c.parts - 1) k
    ORDER BY c.category, k
    RETURNING id`);
  return rows.map((r) => r.id);
}

/** A sweep as its worker reads it once it took it: the stretch and the plan's terms. */
export type Sweep = {
  id: number;
  runId: string;
  planId: string;
  category: RetentionCategory;
  keepNewest: Record<BackupEnvironment, number>;
  firstItem: bigint;
  lastItem: bigint;
  attempts: number;
  lastError: string | null;
  /** Orgs whose task the guard paused: the sweep passes their items by, unsettled. */
  guardedOrgs: number[];
};

type SweepRow = {
  id: number;
  run_id: string;
  plan_id: string;
  category: RetentionCategory;
  scope: { backupKeep?: Record<BackupEnvironment, number> };
  first_item: bigint;
  last_item: bigint;
  attempts: number;
  last_error: string | null;
  guarded_orgs: number[] | null;
};

/**
 * Reads a sweep this worker took, and the plan's windows of its orgs into
 * it, indexed by org id (see PurgeSweep): its batches read them by
 * subscript. Org ids are a sequence, so the gaps are few.
 */
export async function readSweep(engine: Engine, sweepId: number): Promise<Sweep> {
  const [row] = await engine.db.$queryRaw<SweepRow[]>(sql`
    UPDATE purge_sweeps s SET (window_first_org, window_days, window_cutoffs) = (
      SELECT min(g.org_id), coalesce(array_agg(coalesce(e.window_days, 0) ORDER BY g.org_id), '{}'),
             coalesce(array_agg(CASE WHEN e.org_id IS NULL THEN '-infinity' ELSE coalesce(e.cutoff, p.as_of) END
                                ORDER BY g.org_id), '{}')
      FROM (SELECT min(org_id) AS first, max(org_id) AS last FROM plan_entries
            WHERE plan_id = p.id AND category = s.category) b
      CROSS JOIN generate_series(b.first, b.last) AS g(org_id)
      LEFT JOIN plan_entries e ON e.plan_id = p.id AND e.category = s.category AND e.org_id = g.org_id)
    FROM purge_runs r JOIN purge_plans p ON p.id = r.plan_id
    WHERE s.id = ${sweepId} AND r.id = s.run_id
    RETURNING s.id, s.run_id, p.id AS plan_id, s.category, p.scope, s.first_item, s.last_item,
              s.attempts, s.last_error, s.guarded_orgs`);
  if (!row) throw new Error(`Sweep ${sweepId} vanished`);
  return {
    id: row.id,
    runId: row.run_id,
    planId: row.plan_id,
    category: row.category,
    keepNewest: row.scope.backupKeep as Record<BackupEnvironment, number>,
    firstItem: row.first_item,
    lastItem: row.last_item,
    attempts: row.attempts,
    lastError: row.last_error,
    guardedOrgs: row.guarded_orgs ?? [],
  };
}
