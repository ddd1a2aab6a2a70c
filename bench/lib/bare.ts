import { driftChecks } from "../../server/retention/categories/drift-checks";
import type { Db } from "../../server/db";
import type { RowCategory } from "../../server/retention/categories/category";
import type { RetentionCategory } from "../../server/generated/prisma/enums";
import {
  CONVERSATION_CONTEXT_TYPES,
  FINISHED_TASK_STATES,
  PRESERVED_MEMORY_TYPES,
} from "../../server/retention/policy/defaults";
import { backupKeep } from "../../server/retention/policy/effective-window";
import { raw, sql, type Sql } from "../../server/retention/sql";
import { windowsRelation } from "../../server/retention/policy/org-windows";
import { loadOverrides, windowsFor } from "../../server/retention/policy/org-windows";

/** Every org's window of `category` (drift checks unless told) as of `asOf`, as the engine's dry run computes it. */
export async function fleetWindows(
  db: Db,
  asOf: Date,
  category: RowCategory = driftChecks,
): Promise<Sql> {
  const orgs = await db.organization.findMany({ select: { id: true, plan: true, name: true } });
  return windowsRelation(windowsFor(category, orgs, {}, await loadOverrides(db, null), asOf));
}

/**
 * The bare statement's predicate on check `t` and window `w`: past its
 * org's window, and never an environment's latest (a newer check exists).
 */
export const BARE_ELIGIBLE = sql`
  t.org_id = w.org_id AND t.checked_at < w.cutoff
  AND EXISTS (SELECT 1 FROM drift_checks n WHERE n.environment_id = t.environment_id
              AND (n.checked_at, n.id) > (t.checked_at, t.id))`;

const UNHELD = sql`h.released_at IS NULL`;
const aged =
  (table: string, column: string, where: Sql = sql`TRUE`) =>
  (w: Sql) => sql`
  SELECT t.org_id, t.id FROM ${raw(table)} t JOIN ${w} w ON w.org_id = t.org_id
  WHERE t.${raw(column)} < w.cutoff AND ${where}`;
const keep = backupKeep({});

/**
 * Each row category's rule written as a first script would, by hand and
 * in one statement: (org_id, id) of every eligible row for the windows
 * `w`. No bytes, no order, no per-org counts: what the dry run is measured
 * against (bench:preview).
 */
export const BARE_RULES: Partial<Record<RetentionCategory, (w: Sql) => Sql>> = {
  ARTIFACTS: aged(
    "artifacts",
    "created_at",
    sql`NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.artifact_id = t.id AND ${UNHELD})`,
  ),
  DRIFT_CHECKS: (w) =>
    sql`SELECT t.org_id, t.id FROM drift_checks t, ${w} w WHERE ${BARE_ELIGIBLE}`,
  INCIDENT_PAYLOADS: (w) => sql`
    SELECT i.org_id, i.id FROM incidents i JOIN incident_payloads p ON p.incident_id = i.id
    JOIN ${w} w ON w.org_id = i.org_id
    WHERE i.status = 'CLOSED' AND i.closed_at < w.cutoff
      AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.incident_id = i.id AND ${UNHELD})`,
  APPROVALS: aged(
    "approvals",
    "created_at",
    sql`EXISTS (SELECT 1 FROM incidents i WHERE i.id = t.incident_id AND i.status = 'CLOSED'
                AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.incident_id = i.id AND ${UNHELD}))`,
  ),
  IMAGE_ANALYSES: aged(
    "image_analyses",
    "created_at",
    sql`NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.artifact_id = t.artifact_id AND ${UNHELD})`,
  ),
  CONVERSATION_CONTEXT: aged(
    "memory_items",
    "created_at",
    sql`t.type = ANY(${CONVERSATION_CONTEXT_TYPES}::text[])`,
  ),
  PROJECT_MEMORY: aged(
    "memory_items",
    "created_at",
    sql`NOT (t.type = ANY(${[...CONVERSATION_CONTEXT_TYPES, ...PRESERVED_MEMORY_TYPES]}::text[]))`,
  ),
  SCENE_ITERATIONS: aged("scene_iterations", "created_at"),
  BACKUPS: (w) => sql`
    SELECT org_id, id FROM (
      SELECT b.org_id, b.id, w.cutoff,
             lag(b.created_at, CASE e.name WHEN 'prod' THEN ${keep.prod}::int WHEN 'qa' THEN ${keep.qa}::int
                                           WHEN 'dev' THEN ${keep.dev}::int WHEN 'test' THEN ${keep.test}::int
                                           ELSE ${keep.other}::int END)
               OVER (PARTITION BY b.environment_id ORDER BY b.created_at DESC, b.id DESC) AS displaced
      FROM backups b JOIN environments e ON e.id = b.environment_id JOIN ${w} w ON w.org_id = b.org_id) r
    WHERE displaced <= cutoff`,
  TASK_QUEUE: aged(
    "task_queue_entries",
    "finished_at",
    sql`t.status::text = ANY(${[...FINISHED_TASK_STATES]}::text[])`,
  ),
  ERRORS: aged("errors", "resolved_at"),
  PROMPTS: aged("prompts", "created_at", sql`t.archived_at IS NULL`),
};

export type BareCategory = { category: RetentionCategory; rows: number; ms: number };

/**
 * The dry run as a bare script would write it: for each row category, one
 * `INSERT … SELECT` of its eligible (org_id, id) into a plain table of the
 * bench's, timed apart. The orphan objects category has no rows to select.
 */
export async function bareDryRun(db: Db, asOf: Date, categories: RowCategory[]) {
  await db.$executeRaw(sql`DROP TABLE IF EXISTS bench_bare_items`);
  await db.$executeRaw(
    sql`CREATE TABLE bench_bare_items (category text NOT NULL, org_id int NOT NULL, item_id int NOT NULL)`,
  );
  const timings: BareCategory[] = [];
  try {
    for (const category of categories) {
      const rule = BARE_RULES[category.key];
      if (!rule) continue;
      const windows = await fleetWindows(db, asOf, category);
      const began = performance.now();
      const rows = await db.$executeRaw(sql`
        INSERT INTO bench_bare_items (category, org_id, item_id)
        SELECT ${category.key}, e.org_id, e.id FROM (${rule(windows)}) e`);
      timings.push({ category: category.key, rows, ms: performance.now() - began });
    }
  } finally {
    await db.$executeRaw(sql`DROP TABLE bench_bare_items`);
  }
  return timings;
}
