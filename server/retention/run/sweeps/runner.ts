import type { Engine } from "../../deps";
import { nextBatchSize, withRetries, type BatchSizes, type TaskOutcome } from "../tasks/runner";
import { finalizeRun } from "../run-end";
import { sql } from "../../sql";
import { purgeSweepBatch, sweepBatchIn } from "./purge-batch";
import { foldSweep } from "./fold";
import { claimSweep, releaseSweep, sweepIsOpen, type Sweep } from "./stretches";

const message = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2000);

/**
 * Most items in a sweep's batch. It deletes no objects, so S3's limit of
 * 1,000 keys per DeleteObjects (PURGE_BATCH_SIZE's bound) does not apply:
 * its size follows the time target alone, which at a few tens of µs a
 * check is a few thousand. Each batch's fixed cost (its round trips, the
 * planning of its statement, its commit) is then shared by that many.
 */
const SWEEP_BATCH_MOST = 10_000;

/** Thrown to roll a probe's transaction back once it has told what it had to. */
class ProbeDone extends Error {}

/**
 * Which orgs of a failed batch fail on their own, and why: each org's items
 * of the batch are purged in a transaction that is always rolled back.
 */
async function failingOrgs(engine: Engine, sweep: Sweep, size: number) {
  const [batch] = await engine.db.$queryRaw<{ org_ids: number[]; through: bigint | null }[]>(sql`
    WITH items AS (
      SELECT p.id, p.org_id FROM plan_items p JOIN purge_sweeps s ON s.id = ${sweep.id}
      WHERE p.plan_id = ${sweep.planId} AND p.category = ${sweep.category}::"RetentionCategory"
        AND p.id > s.settled_through AND p.id <= s.last_item
      ORDER BY p.id LIMIT ${size})
    SELECT coalesce(array_agg(DISTINCT org_id), '{}') AS org_ids, max(id) AS through FROM items`);
  const failing = new Map<number, string>();
  if (!batch || batch.through === null) return failing;
  for (const orgId of batch.org_ids) {
    const probeOrg = { orgId, through: batch.through };
    try {
      await engine.db.$transaction(async (tx) => {
        await sweepBatchIn(tx, engine, sweep, { take: size, probeOrg });
        throw new ProbeDone();
      });
    } catch (error) {
      if (!(error instanceof ProbeDone)) failing.set(orgId, message(error));
    }
  }
  return failing;
}

/**
 * Charges a batch that kept failing: to the orgs whose items fail on their
 * own (their tasks' attempts; at the limit a task is FAILED and the sweep
 * passes its items by), or else to the sweep. The caller's job then fails
 * and is retried with backoff, as a task's is.
 */
async function chargeFailure(engine: Engine, sweep: Sweep, size: number, error: unknown) {
  const failing = await failingOrgs(engine, sweep, size);
  const max = engine.settings.maxTaskAttempts;
  // A task that fails for good is passed by from then on, by every sweep of
  // its category. The run's row first, as a sweep's end locks it before its tasks.
  if (failing.size > 0)
    await engine.db.$transaction(async (tx) => {
      await tx.$queryRaw(
        sql`SELECT id FROM purge_runs WHERE id = ${sweep.runId} FOR NO KEY UPDATE`,
      );
      await tx.$executeRaw(sql`
        WITH charged AS (
          UPDATE purge_tasks t SET attempts = t.attempts + 1, last_error = f.error,
            status = CASE WHEN t.attempts + 1 >= ${max} THEN 'FAILED'::"TaskStatus" ELSE t.status END,
            finished_at = CASE WHEN t.attempts + 1 >= ${max} THEN now() ELSE t.finished_at END
          FROM unnest(${[...failing.keys()]}::int[], ${[...failing.values()]}::text[]) AS f(org_id, error)
          WHERE t.run_id = ${sweep.runId} AND t.category = ${sweep.category}::"RetentionCategory"
            AND t.org_id = f.org_id AND t.status IN ('PENDING', 'RUNNING')
          RETURNING t.org_id, t.status)
        UPDATE purge_sweeps s
        SET failed_orgs = coalesce(s.failed_orgs, '{}') || ARRAY(SELECT org_id FROM charged WHERE status = 'FAILED')
        WHERE s.run_id = ${sweep.runId} AND s.category = ${sweep.category}::"RetentionCategory"
          AND s.status IN ('PENDING', 'RUNNING')`);
    });
  else await chargeSweep(engine, sweep, error);
  await releaseSweep(engine, sweep.id);
}

/** A failure of the sweep's own (not an org's): it counts toward giving the sweep up. */
async function chargeSweep(engine: Engine, sweep: Sweep, error: unknown) {
  await engine.db.$executeRaw(sql`
    UPDATE purge_sweeps SET attempts = attempts + 1, last_error = ${message(error)}
    WHERE id = ${sweep.id}`);
}

/**
 * Ends the sweep (see foldSweep); once it ended its category's tasks, the
 * run may end too. A sweep that cannot end stays open with its error shown:
 * its run must not end without the evidence of what it deleted.
 */
async function endSweep(engine: Engine, sweep: Sweep, gaveUp?: string): Promise<TaskOutcome> {
  let endedTasks: boolean;
  try {
    endedTasks = await foldSweep(engine, sweep, gaveUp);
  } catch (error) {
    await chargeSweep(engine, sweep, error);
    await releaseSweep(engine, sweep.id);
    return { kind: "failed", error };
  }
  if (endedTasks) await finalizeRun(engine.db, sweep.runId);
  return { kind: "done" };
}

/**
 * Works a sweep batch by batch until its stretch is done or the deadline
 * is near, then ends it. Every batch commits on its own, so stopping
 * between batches (deadline) or inside one (crash) loses nothing and counts
 * nothing twice. A sweep whose own failures reached the limit is given up:
 * its unsettled items are set aside as FAILED and it ends.
 */
export async function runSweep(
  engine: Engine,
  sweepId: number,
  deadline: number,
  sizes: BatchSizes,
): Promise<TaskOutcome> {
  const sweep = await claimSweep(engine, sweepId);
  if (!sweep) return { kind: (await sweepIsOpen(engine, sweepId)) ? "busy" : "gone" };
  if (sweep.attempts >= engine.settings.maxTaskAttempts) {
    const [last] = await engine.db.$queryRaw<{ error: string | null }[]>(
      sql`SELECT last_error AS error FROM purge_sweeps WHERE id = ${sweep.id}`,
    );
    return endSweep(
      engine,
      sweep,
      `not purged: its sweep gave up after ${sweep.attempts} failed attempt${sweep.attempts === 1 ? "" : "s"}: ${last?.error ?? "unknown error"}`,
    );
  }
  let slowestBatchMs = 0;
  for (;;) {
    if (Date.now() + slowestBatchMs * 1.5 + 250 > deadline) {
      await releaseSweep(engine, sweep.id);
      return { kind: "paused" };
    }
    const started = Date.now();
    const size = sizes.get(sweep.category) ?? engine.settings.batchSize;
    let batch;
    try {
      batch = await withRetries(() => purgeSweepBatch(engine, sweep, size));
    } catch (error) {
      await chargeFailure(engine, sweep, size, error);
      return { kind: "failed", error };
    }
    if (batch.lost) return { kind: "busy" };
    slowestBatchMs = Math.max(slowestBatchMs, Date.now() - started);
    sizes.set(sweep.category, nextBatchSize(size, batch, engine.settings, SWEEP_BATCH_MOST));
    if (batch.done) return endSweep(engine, sweep);
  }
}
