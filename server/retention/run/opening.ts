import { sweptArray } from "../categories";
import type { Engine } from "../deps";
import { pauseForReview } from "../guard/pause";
import { orgRanges } from "../plan/planning";
import { sql, type Tx } from "../sql";
import { afterRunEnd, endRunIfDoneIn, type RunEnd } from "./run-end";

/**
 * A confirmed plan's run opens in steps, so that no step grows with the
 * fleet: the tasks of a range of orgs are written and guarded in one
 * transaction (TASKS) and queued after its commit; once every range is,
 * the opening ends (OPEN): the sweeps, which pass by the orgs the guard
 * paused, are queued, and the run may end. A range that gives up leaves its
 * orgs without tasks, and the run ends PARTIAL.
 */

/** What an opening step leaves to do after its commit. */
export type Opened = { tasks: number[]; sweeps: number[]; ended: RunEnd | null };

/** The opening steps of a new run: its plan's orgs in ranges (see orgRanges), then the end. */
export async function createOpeningSteps(tx: Tx, planId: string, size: number) {
  const orgs = await tx.$queryRaw<{ id: number }[]>(sql`
    SELECT DISTINCT org_id AS id FROM plan_entries WHERE plan_id = ${planId} ORDER BY org_id`);
  await tx.planStep.createMany({
    data: [
      ...orgRanges(orgs, size).map((r) => ({ planId, kind: "TASKS" as const, ...r })),
      { planId, kind: "OPEN" as const },
    ],
  });
}

type Run = { id: string; plan_id: string; trigger: string; as_of: Date };

/**
 * The tasks of a range of orgs: one per entry of the plan, ids in category
 * then org order (a worker's fetch then holds tasks of one category, which
 * share batches); only the daily run is guarded, since a manual purge's
 * preview showed its counts. Returns the tasks to queue: not swept (a swept
 * category's task is its org's account, its sweeps do the work) and not paused.
 */
async function writeTasks(
  tx: Tx,
  engine: Engine,
  run: Run,
  orgs: { first: number; last: number },
): Promise<Opened> {
  await tx.$executeRaw(sql`
    INSERT INTO purge_tasks (run_id, org_id, plan, category, eligible)
    SELECT ${run.id}, e.org_id, o.plan, e.category, e.item_count
    FROM plan_entries e JOIN organizations o ON o.id = e.org_id
    WHERE e.plan_id = ${run.plan_id} AND e.org_id BETWEEN ${orgs.first} AND ${orgs.last}
    ORDER BY e.category, e.org_id`);
  if (run.trigger === "CRON")
    await pauseForReview(tx, engine, { id: run.id, planId: run.plan_id, asOf: run.as_of }, orgs);
  const tasks = await tx.$queryRaw<{ id: number }[]>(sql`
    SELECT id FROM purge_tasks
    WHERE run_id = ${run.id} AND org_id BETWEEN ${orgs.first} AND ${orgs.last}
      AND status = 'PENDING' AND category::text <> ALL(${sweptArray()})
    ORDER BY id`);
  return { tasks: tasks.map((t) => t.id), sweeps: [], ended: null };
}

/** The opening's end: the run's sweeps to queue, and its end if nothing is left to do. */
async function endOpening(tx: Tx, run: Run): Promise<Opened> {
  await tx.$executeRaw(sql`UPDATE purge_runs SET opening = false WHERE id = ${run.id}`);
  const sweeps = await tx.$queryRaw<{ id: number }[]>(sql`
    SELECT id FROM purge_sweeps WHERE run_id = ${run.id} AND status = 'PENDING' ORDER BY id`);
  return { tasks: [], sweeps: sweeps.map((s) => s.id), ended: await endRunIfDoneIn(tx, run.id) };
}

/** Works an opening step in the step's transaction; null when its run is no longer opening. */
export async function workOpeningStep(
  tx: Tx,
  engine: Engine,
  step: { plan_id: string; kind: string; first_org: number | null; last_org: number | null },
): Promise<Opened | null> {
  const [run] = await tx.$queryRaw<(Run & { opening: boolean })[]>(sql`
    SELECT r.id, r.plan_id, r.trigger::text, r.opening, p.as_of
    FROM purge_runs r JOIN purge_plans p ON p.id = r.plan_id
    WHERE r.plan_id = ${step.plan_id}`);
  if (!run?.opening) return null;
  if (step.kind === "OPEN") return endOpening(tx, run);
  return writeTasks(tx, engine, run, {
    first: step.first_org ?? 0,
    last: step.last_org ?? 2_147_483_647,
  });
}

/** After an opening step's commit: its tasks or sweeps queued, and the run's end told. */
export async function afterOpening(engine: Engine, opened: Opened) {
  await engine.queue.enqueue("sweep", opened.sweeps);
  await engine.queue.enqueue("task", opened.tasks);
  await afterRunEnd(engine, opened.ended);
}
