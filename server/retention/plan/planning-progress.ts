import type { Db } from "../../db";
import type { PlanStatus } from "../../generated/prisma/enums";
import { sql } from "../sql";

/** How far a plan's planning is: what the console's progress bar shows. */
export type PlanningProgress = {
  status: PlanStatus;
  stepsDone: number;
  stepsTotal: number;
  orgCount: number;
  categoryCount: number;
  /** Orgs whose every category is planned, as org × category pairs planned over the categories. */
  orgsPlanned: number;
  /** Categories whose items and entries are all written. */
  categoriesPlanned: number;
  /** Items (and their bytes) found so far. */
  items: bigint;
  bytes: bigint;
  startedAt: Date;
  /** Seconds left at the rate of the steps done so far; null until one is done, and once planned. */
  etaSeconds: number | null;
};

type Row = {
  status: PlanStatus;
  created_at: Date;
  org_count: number;
  category_count: number;
  item_count: bigint;
  bytes: bigint;
  total: number;
  done: number;
  found: bigint;
  found_bytes: bigint;
  pairs: number;
  categories: number;
  categories_open: number;
};

/** A step that plans a category (not the storage snapshot nor the finish): the category is planned once all of them are done. */
const PLANS_A_CATEGORY = sql`s.kind IN ('ITEMS', 'LATEST_CHECKS', 'SWEPT_ITEMS', 'SWEPT_ENTRIES')`;

/** The planning progress of a plan, or null when there is no such plan. */
export async function planningProgress(db: Db, planId: string): Promise<PlanningProgress | null> {
  const [row] = await db.$queryRaw<Row[]>(sql`
    SELECT p.status, p.created_at, p.item_count, p.bytes,
           coalesce((p.scope->>'orgCount')::int, 0) AS org_count,
           coalesce((p.scope->>'categoryCount')::int, 0) AS category_count,
           count(s.id)::int AS total,
           count(s.id) FILTER (WHERE s.status = 'SUCCEEDED')::int AS done,
           coalesce(sum(s.items) FILTER (WHERE s.status = 'SUCCEEDED'), 0)::bigint AS found,
           coalesce(sum(s.bytes) FILTER (WHERE s.status = 'SUCCEEDED'), 0)::bigint AS found_bytes,
           coalesce(sum(s.org_count) FILTER (WHERE s.status = 'SUCCEEDED' AND s.kind IN ('ITEMS', 'SWEPT_ENTRIES')), 0)::int AS pairs,
           count(DISTINCT s.category) FILTER (WHERE ${PLANS_A_CATEGORY})::int AS categories,
           count(DISTINCT s.category) FILTER (WHERE ${PLANS_A_CATEGORY} AND s.status <> 'SUCCEEDED')::int AS categories_open
    FROM purge_plans p LEFT JOIN plan_steps s ON s.plan_id = p.id AND s.kind NOT IN ('TASKS', 'OPEN')
    WHERE p.id = ${planId}
    GROUP BY p.id`);
  if (!row) return null;
  const planning = row.status === "PLANNING";
  const elapsed = (Date.now() - row.created_at.getTime()) / 1000;
  return {
    status: row.status,
    stepsDone: row.done,
    stepsTotal: row.total,
    orgCount: row.org_count,
    categoryCount: row.category_count,
    orgsPlanned: planning ? Math.floor(row.pairs / Math.max(1, row.category_count)) : row.org_count,
    categoriesPlanned: planning ? row.categories - row.categories_open : row.category_count,
    items: planning ? row.found : row.item_count,
    bytes: planning ? row.found_bytes : row.bytes,
    startedAt: row.created_at,
    etaSeconds:
      planning && row.done > 0 ? Math.round((elapsed * (row.total - row.done)) / row.done) : null,
  };
}
