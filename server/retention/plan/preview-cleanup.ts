import { audit } from "../evidence/audit-log";
import type { Engine } from "../deps";
import { join, sql, type Sql } from "../sql";

/** Rows per DELETE: each statement commits on its own, so no transaction holds locks for long. */
const ROWS_PER_DELETE = 10_000;
/** Plans taken per round, oldest first. */
const PLANS_PER_ROUND = 100;

export type CleanupReport = {
  /** Previews past their expiry marked EXPIRED now. */
  expired: number;
  /** Expired or discarded previews whose entries and items are all gone now. */
  plans: number;
  items: number;
  entries: number;
  steps: number;
  /** The latest checks a plan cancelled or failed while planning had found (see latest-checks.ts). */
  latestChecks: number;
};

/**
 * Deletes up to ROWS_PER_DELETE rows of `table` that belong to these plans,
 * by their tuple ids (the latest checks found have no id column). Rows
 * another cleanup is deleting are skipped, not waited for: two overlapping
 * deliveries share the work instead of queuing on each other.
 */
async function deleteBatch(engine: Engine, table: Sql, planIds: string[]) {
  return engine.db.$executeRaw(sql`
    DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM ${table} WHERE plan_id = ANY(${planIds}::text[])
      LIMIT ${ROWS_PER_DELETE} FOR UPDATE SKIP LOCKED))`);
}

/** What a plan leaves behind that its cleanup deletes, with the count each adds to the report. */
const PLAN_ROWS = [
  [sql`plan_items`, "items"],
  [sql`plan_entries`, "entries"],
  [sql`plan_steps`, "steps"],
  [sql`plan_latest_checks`, "latestChecks"],
] as const;

/** A plan whose manifest is to go: expired or discarded, never confirmed, not yet emptied. */
const STALE = sql`p.status IN ('EXPIRED', 'DISCARDED') AND p.manifest_removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM purge_runs r WHERE r.plan_id = p.id)`;

/**
 * Deletes the entries, items, planning steps and latest checks found of
 * expired and discarded previews, in batches of their own, until none is
 * left or `deadline` passes (what is left is for the next call). A
 * confirmed plan keeps everything: its run's evidence needs it. First
 * marks the previews past their expiry EXPIRED; `planIds` narrows both
 * steps to these plans. Writes one audit entry with the counts and the ids
 * of the plans it emptied.
 */
export async function cleanUpPreviews(
  engine: Engine,
  options: { deadline: number; planIds?: string[] },
): Promise<CleanupReport> {
  const only = options.planIds ? sql`AND p.id = ANY(${options.planIds}::text[])` : sql``;
  const expired = await engine.db.$executeRaw(sql`
    UPDATE purge_plans p SET status = 'EXPIRED'
    WHERE p.status = 'PREVIEWED' AND p.expires_at < ${engine.now()} ${only}`);
  const report: CleanupReport = {
    expired,
    plans: 0,
    items: 0,
    entries: 0,
    steps: 0,
    latestChecks: 0,
  };
  const emptied: string[] = [];
  while (Date.now() < options.deadline) {
    const stale = await engine.db.$queryRaw<{ id: string }[]>(sql`
      SELECT p.id FROM purge_plans p WHERE ${STALE} ${only}
      ORDER BY p.created_at LIMIT ${PLANS_PER_ROUND}`);
    if (stale.length === 0) break;
    const ids = stale.map((p) => p.id);
    let deleted = 0;
    for (const [table, key] of PLAN_ROWS) {
      for (let n = -1; n !== 0 && Date.now() < options.deadline;) {
        n = await deleteBatch(engine, table, ids);
        report[key] += n;
        deleted += n;
      }
    }
    // Whoever deletes a plan's last rows marks it; rows still locked by another cleanup keep it unmarked.
    const marked = await engine.db.$queryRaw<{ id: string }[]>(sql`
      UPDATE purge_plans p SET manifest_removed_at = now()
      WHERE p.id = ANY(${ids}::text[]) AND ${STALE}
        ${join(
          PLAN_ROWS.map(
            ([table]) => sql`AND NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.plan_id = p.id)`,
          ),
          " ",
        )}
      RETURNING p.id`);
    emptied.push(...marked.map((p) => p.id));
    // Nothing moved: another cleanup holds the rest of these plans.
    if (deleted === 0 && marked.length === 0) break;
  }
  report.plans = emptied.length;
  if (Object.values(report).some((n) => n > 0)) {
    engine.log.info({ ...report, planIds: emptied }, "previews cleaned");
    await audit(engine.db, {
      actor: "system",
      action: "purge.previews_cleaned",
      target: null,
      details: { ...report, planIds: emptied },
    });
  }
  return report;
}
