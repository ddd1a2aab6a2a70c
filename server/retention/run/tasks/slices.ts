import type { RetentionCategory } from "../../../generated/prisma/enums";
import type { BackupEnvironment } from "../../policy/defaults";
import type { Engine } from "../../deps";
import { sql, type Sql } from "../../sql";
import { END_OF_TIME, windowsRelation, type OrgWindow } from "../../policy/org-windows";

/**
 * One org × category task, its frozen window and its restore window (days
 * its purged items stay restorable, 0: deleted at once).
 */
export type TaskTerms = { taskId: number; orgId: number; window: OrgWindow; restoreDays: number };

/**
 * Tasks of one run and one category, worked together: a batch takes up to
 * `batchSize` items across them, so a fleet of small tasks (a few hundred
 * items per org) pays a batch's fixed cost once per batch, not once per org.
 */
export type Slice = {
  runId: string;
  planId: string;
  category: RetentionCategory;
  keepNewest: Record<BackupEnvironment, number>;
  memberId?: number;
  /** The GDPR erasure the run carries out, if it is one. */
  erasureId: number | null;
  /** In task id order. */
  tasks: TaskTerms[];
};

/** The windows relation of these orgs' tasks: the few a batch re-checks its items against. */
export function windowsOf(slice: Slice, orgIds: number[]): Sql {
  const wanted = new Set(orgIds);
  return windowsRelation(slice.tasks.filter((t) => wanted.has(t.orgId)).map((t) => t.window));
}

type TermsRow = {
  task_id: number;
  run_id: string;
  org_id: number;
  category: RetentionCategory;
  plan_id: string;
  scope: { backupKeep?: Record<BackupEnvironment, number>; memberId?: unknown };
  erasure_id: number | null;
  as_of: Date;
  cutoff: Date | null;
  window_days: number | null;
  restore_days: number;
};

/** The plan's frozen terms of these tasks, grouped into slices by run and category. */
export async function slicesOf(engine: Engine, taskIds: number[]): Promise<Slice[]> {
  const rows = await engine.db.$queryRaw<TermsRow[]>(sql`
    SELECT t.id AS task_id, t.run_id, t.org_id, t.category, p.id AS plan_id, p.scope,
           p.erasure_id, p.as_of, e.cutoff, e.window_days,
           e.restore_days
    FROM purge_tasks t
    JOIN purge_runs r ON r.id = t.run_id
    JOIN purge_plans p ON p.id = r.plan_id
    JOIN plan_entries e ON e.plan_id = p.id AND e.org_id = t.org_id AND e.category = t.category
    WHERE t.id = ANY(${taskIds}::int[])
    ORDER BY t.id`);
  const slices = new Map<string, Slice>();
  for (const row of rows) {
    const key = `${row.run_id}:${row.category}`;
    let slice = slices.get(key);
    if (!slice) {
      slice = {
        runId: row.run_id,
        planId: row.plan_id,
        category: row.category,
        keepNewest: row.scope.backupKeep as Record<BackupEnvironment, number>,
        memberId: typeof row.scope.memberId === "number" ? row.scope.memberId : undefined,
        erasureId: row.erasure_id,
        tasks: [],
      };
      slices.set(key, slice);
    }
    const erasure = row.erasure_id !== null;
    const cutoff = erasure ? END_OF_TIME : (row.cutoff ?? row.as_of);
    slice.tasks.push({
      taskId: row.task_id,
      orgId: row.org_id,
      window: {
        orgId: row.org_id,
        days: row.window_days ?? 0,
        cutoff,
        asOf: erasure ? END_OF_TIME : row.as_of,
      },
      restoreDays: erasure ? 0 : row.restore_days,
    });
  }
  return [...slices.values()];
}
