import type { Log } from "../../../log";
import type { Engine } from "../../deps";
import { sql } from "../../sql";
import { countAttempt, errorText, failTaskAttempt, release } from "../leases";
import { sweepBatchIn } from "./purge-batch";
import type { Sweep } from "./stretches";

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
        AND p.id > s.settled_through AND p.id <= s.last_item AND p.org_id <> ALL(s.guarded_orgs)
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
      if (!(error instanceof ProbeDone)) failing.set(orgId, errorText(error));
    }
  }
  return failing;
}

/** A failure of the sweep's own (not an org's): it counts toward giving the sweep up. */
export async function chargeSweep(engine: Engine, sweep: Sweep, error: unknown) {
  await engine.db.$executeRaw(sql`
    UPDATE purge_sweeps s SET ${countAttempt(sql`s`, sql`${errorText(error)}`)}
    WHERE id = ${sweep.id}`);
}

/**
 * Charges a batch of `size` that kept failing: to the orgs whose items fail
 * on their own (their tasks' attempts; a task given up is FAILED and every
 * sweep of its category passes its items by from then on), or else to the
 * sweep. Then lets go of the sweep: its job fails and is retried with
 * backoff, as a task's is.
 */
export async function chargeFailure(
  engine: Engine,
  log: Log,
  sweep: Sweep,
  size: number,
  error: unknown,
) {
  const failing = await failingOrgs(engine, sweep, size);
  log.error({ err: error, failingOrgIds: [...failing.keys()] }, "sweep batch failed");
  // The run's row first, as a sweep's end locks it before its tasks.
  if (failing.size > 0)
    await engine.db.$transaction(async (tx) => {
      await tx.$queryRaw(
        sql`SELECT id FROM purge_runs WHERE id = ${sweep.runId} FOR NO KEY UPDATE`,
      );
      await tx.$executeRaw(sql`
        WITH charged AS (
          UPDATE purge_tasks t SET ${failTaskAttempt(engine, sql`f.error`)}
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
  await release(engine, "sweep", [sweep.id]);
}
