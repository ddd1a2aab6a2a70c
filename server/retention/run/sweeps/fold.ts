import { addToTotals, writeManifestBatches } from "../ledger";
import type { Engine } from "../../deps";
import { sql, type Tx } from "../../sql";
import { recordSetAside } from "../set-aside";
import type { Sweep } from "./stretches";

/** Sets the sweep's unsettled items aside as FAILED and moves its cursor to the end. */
async function setRestAside(tx: Tx, sweep: Sweep, reason: string) {
  await tx.$executeRaw(sql`
    WITH rest AS (
      ${recordSetAside(sql`
        SELECT p.id, p.plan_id, p.org_id, p.category, 'FAILED', ${reason}
        FROM plan_items p JOIN purge_sweeps s ON s.id = ${sweep.id}
        WHERE p.plan_id = ${sweep.planId} AND p.category = ${sweep.category}::"RetentionCategory"
          AND p.id > s.settled_through AND p.id <= s.last_item AND p.org_id <> ALL(s.guarded_orgs)`)}
      RETURNING plan_item_id)
    UPDATE purge_sweeps SET settled_through = last_item, failed = failed + (SELECT count(*) FROM rest)
    WHERE id = ${sweep.id}`);
}

async function settledThrough(tx: Tx, sweep: Sweep): Promise<bigint> {
  const [row] = await tx.$queryRaw<{ through: bigint }[]>(
    sql`SELECT settled_through AS through FROM purge_sweeps WHERE id = ${sweep.id}`,
  );
  if (!row) throw new Error(`Sweep ${sweep.id} vanished`);
  return row.through;
}

/** How a sweep ended: its status and counters, and whether it ended its category's tasks. */
export type SweepEnd = {
  status: string;
  batches: number;
  deleted: number;
  skipped: number;
  failed: number;
  bytes_freed: bigint;
  endedTasks: boolean;
};

/**
 * Groups what the sweep did by org, up to `through`, into a table of the
 * transaction's own: counters, bytes and the ids it deleted (the items it
 * settled and did not set aside). The longest part of a sweep's end, and it
 * reads only the sweep's own items, which no other worker touches: it runs
 * before the run's lock is taken, so another sweep's end does not wait for it.
 */
async function groupByOrg(tx: Tx, sweep: Sweep, through: bigint) {
  await tx.$executeRaw(sql`DROP TABLE IF EXISTS sweep_fold`);
  await tx.$executeRaw(sql`
    CREATE TEMP TABLE sweep_fold ON COMMIT DROP AS
      SELECT p.org_id,
             count(*) FILTER (WHERE a.state IS NULL)::int AS deleted,
             count(*) FILTER (WHERE a.state = 'SKIPPED')::int AS skipped,
             count(*) FILTER (WHERE a.state = 'FAILED')::int AS failed,
             coalesce(sum(p.bytes) FILTER (WHERE a.state IS NULL), 0)::bigint AS bytes,
             array_agg(p.item_id::text) FILTER (WHERE a.state IS NULL) AS item_ids,
             min(a.reason) FILTER (WHERE a.state = 'FAILED') AS error
      FROM plan_items p
      LEFT JOIN plan_item_set_asides a ON a.plan_item_id = p.id
        AND a.plan_id = ${sweep.planId} AND a.category = ${sweep.category}::"RetentionCategory"
      WHERE p.plan_id = ${sweep.planId} AND p.category = ${sweep.category}::"RetentionCategory"
        AND p.id >= ${sweep.firstItem} AND p.id <= ${through}
        AND p.org_id <> ALL(${sweep.guardedOrgs}::int[])
      GROUP BY p.org_id`);
}

/**
 * Adds what the sweep did for each org (grouped by groupByOrg) to that
 * org's task: counters, and a manifest batch of the ids it deleted,
 * numbered by the task's batch count.
 */
async function foldIntoTasks(tx: Tx, sweep: Sweep, status: "SUCCEEDED" | "FAILED") {
  const [ended] = await tx.$queryRaw<Omit<SweepEnd, "endedTasks">[]>(sql`
    WITH sweep AS (SELECT * FROM purge_sweeps WHERE id = ${sweep.id}),
    per_org AS (SELECT * FROM sweep_fold),
    updated AS (
      UPDATE purge_tasks t SET
        deleted = t.deleted + o.deleted, skipped = t.skipped + o.skipped, failed = t.failed + o.failed,
        bytes_freed = t.bytes_freed + o.bytes, batches = t.batches + (o.deleted > 0)::int,
        longest_batch_ms = greatest(t.longest_batch_ms, s.longest_batch_ms),
        last_error = coalesce(t.last_error, o.error), started_at = coalesce(t.started_at, s.started_at)
      FROM per_org o, sweep s
      WHERE t.run_id = ${sweep.runId} AND t.category = ${sweep.category}::"RetentionCategory"
        AND t.org_id = o.org_id
      RETURNING t.id, t.org_id, t.batches),
    manifest AS (${writeManifestBatches(
      sweep.runId,
      sql`(SELECT u.id AS task_id, u.batches AS batch_no, o.org_id,
                  ${sweep.category}::"RetentionCategory" AS category, o.item_ids, o.bytes
           FROM per_org o JOIN updated u ON u.org_id = o.org_id WHERE o.deleted > 0)`,
    )})
    UPDATE purge_sweeps SET status = ${status}::"TaskStatus", finished_at = now(), lease_owner = NULL, lease_until = NULL,
                            window_first_org = NULL, window_days = NULL, window_cutoffs = NULL
    WHERE id = ${sweep.id}
    RETURNING status::text, batches, deleted, skipped, failed, bytes_freed`);
  if (!ended) throw new Error(`Sweep ${sweep.id} vanished`);
  return ended;
}

/** Tasks the guard paused are worked, ended and totalled by the task runner once approved. */
const workedBySweeps = sql`review_reason IS NULL`;

/**
 * Once the category's last sweep has ended: ends its orgs' tasks (FAILED
 * where items failed) and adds them to the purge totals, with those that
 * failed during the sweeps, which were not added when they failed.
 */
async function endTasksIfLast(tx: Tx, sweep: Sweep): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ last: boolean }[]>(sql`
    SELECT NOT EXISTS (
      SELECT 1 FROM purge_sweeps WHERE run_id = ${sweep.runId}
        AND category = ${sweep.category}::"RetentionCategory" AND status IN ('PENDING', 'RUNNING')) AS last`);
  if (!row?.last) return false;
  await tx.$executeRaw(sql`
    WITH closing AS (
      UPDATE purge_tasks t
      SET status = (CASE WHEN t.failed > 0 THEN 'FAILED' ELSE 'SUCCEEDED' END)::"TaskStatus",
          finished_at = now(), lease_owner = NULL, lease_until = NULL
      WHERE t.run_id = ${sweep.runId} AND t.category = ${sweep.category}::"RetentionCategory"
        AND t.status IN ('PENDING', 'RUNNING') AND ${workedBySweeps}
      RETURNING t.plan, t.category, t.deleted, t.bytes_freed),
    ended AS (
      SELECT * FROM closing
      -- The statement's snapshot: failed before it, not among those it ends.
      UNION ALL SELECT plan, category, deleted, bytes_freed FROM purge_tasks
      WHERE run_id = ${sweep.runId} AND category = ${sweep.category}::"RetentionCategory" AND status = 'FAILED'
        AND ${workedBySweeps})
    ${addToTotals(sql`ended`)}`);
  return true;
}

/**
 * Ends a sweep in one transaction: folds what it did into its orgs' tasks
 * and the manifest, and, if it was its category's last, ends those tasks.
 * With `gaveUp`, its unsettled items are first set aside as FAILED with
 * that reason. What it did is grouped by org first; then the run's row is
 * locked, so a run's sweeps end one at a time and the last one knows it
 * is; ending an ended sweep does nothing.
 * Returns how it ended, and whether it ended the category's tasks (the run
 * may be done); null when it had ended already.
 */
export async function foldSweep(
  engine: Engine,
  sweep: Sweep,
  gaveUp?: string,
): Promise<SweepEnd | null> {
  return engine.db.$transaction(
    async (tx) => {
      const grouped = await settledThrough(tx, sweep);
      if (gaveUp === undefined) await groupByOrg(tx, sweep, grouped);
      await tx.$queryRaw(
        sql`SELECT id FROM purge_runs WHERE id = ${sweep.runId} FOR NO KEY UPDATE`,
      );
      const [open] = await tx.$queryRaw<{ open: boolean; through: bigint }[]>(sql`
        SELECT status IN ('PENDING', 'RUNNING') AS open, settled_through AS through
        FROM purge_sweeps WHERE id = ${sweep.id} FOR UPDATE`);
      if (!open?.open) return null;
      if (gaveUp !== undefined) await setRestAside(tx, sweep, gaveUp);
      // Grouped again if its items moved since (a worker that lost the sweep's lease still ran a batch, or it gave up).
      if (gaveUp !== undefined || open.through !== grouped)
        await groupByOrg(tx, sweep, await settledThrough(tx, sweep));
      const ended = await foldIntoTasks(tx, sweep, gaveUp === undefined ? "SUCCEEDED" : "FAILED");
      return { ...ended, endedTasks: await endTasksIfLast(tx, sweep) };
    },
    { timeout: 5 * 60_000, maxWait: 30_000 },
  );
}
