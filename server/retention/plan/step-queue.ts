import type { Engine } from "../deps";
import { sql, type Sql } from "../sql";

/**
 * Step `s` waits for another step of its plan: a swept category's items are
 * written range after range (its manifest stays in item order, which its
 * sweeps walk), once the latest checks are all found for drift checks, and
 * its entries once all its items are; the finish once every
 * other planning step is done; the opening's end once every range of tasks
 * is done or gave up. The other kinds never wait, and do not look: each
 * look reads the plan's open steps, thousands at 30,000 orgs.
 */
export const waitsSql = (
  s: Sql,
): Sql => sql`(${s}.kind IN ('SWEPT_ITEMS', 'SWEPT_ENTRIES', 'FINISH', 'OPEN') AND EXISTS (
  SELECT 1 FROM plan_steps b
  WHERE b.plan_id = ${s}.plan_id AND b.id <> ${s}.id AND b.status <> 'SUCCEEDED'
    AND ((${s}.kind = 'FINISH' AND b.kind NOT IN ('TASKS', 'OPEN'))
      OR (${s}.kind = 'OPEN' AND b.kind = 'TASKS' AND b.status <> 'FAILED')
      OR (b.kind = 'SWEPT_ITEMS' AND b.category = ${s}.category
          AND (${s}.kind = 'SWEPT_ENTRIES' OR (${s}.kind = 'SWEPT_ITEMS' AND b.id < ${s}.id)))
      OR (b.kind = 'LATEST_CHECKS' AND b.category = ${s}.category AND ${s}.kind = 'SWEPT_ITEMS'))))`;

/**
 * Queues the open steps of planning plans and opening runs (of `planId`, or
 * all) that may start and have no job; one whose worker died holding it
 * (its lease ran out) is queued again at once, as reconcile does for tasks.
 */
export async function queueRunnableSteps(engine: Engine, planId?: string) {
  const only = planId ? sql`AND s.plan_id = ${planId}` : sql``;
  const open = await engine.db.$queryRaw<{ id: number; abandoned: boolean }[]>(sql`
    SELECT s.id, coalesce(s.lease_until < now(), false) AS abandoned
    FROM plan_steps s JOIN purge_plans p ON p.id = s.plan_id
    WHERE (p.status = 'PLANNING' OR EXISTS (SELECT 1 FROM purge_runs r WHERE r.plan_id = p.id AND r.opening))
      AND s.status IN ('PENDING', 'RUNNING') ${only}
      AND NOT ${waitsSql(sql`s`)}
    ORDER BY s.id`);
  const abandoned = open.filter((s) => s.abandoned).map((s) => s.id);
  const ids = new Set([
    ...(await engine.queue.withoutJob(
      "step",
      open.map((s) => s.id),
    )),
    ...(await engine.queue.withoutJob("step", abandoned, ["created"])),
  ]);
  await engine.queue.enqueue(
    "step",
    [...ids].sort((a, b) => a - b),
  );
}
