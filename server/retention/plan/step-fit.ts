import type { RetentionCategory } from "../../generated/prisma/enums";
import type { Engine } from "../deps";
import { sql } from "../sql";

/** The margin a step keeps, as a purge batch does: its estimate times this, plus START_MS. */
const MARGIN = 1.5;
const START_MS = 250;
/**
 * A range is never shrunk below this share of the configured range: each
 * step pays a fixed cost (about a second at 10,000 orgs), so ever smaller
 * ranges would take ever longer per id.
 */
const LEAST_SHARE = 10;

type Estimate = {
  kind: string;
  size: bigint | null;
  /** Of a swept category's range of item ids: its rate so far, per id (every range's time over its ids). */
  ms_per_item: number | null;
  /** Of any other step: the slowest of its kind (and category) so far. */
  longest: number | null;
};

/**
 * Whether a step fits before the deadline, as slow as the slowest of its
 * kind so far (of its plan, of the same kind and category, else of the same
 * kind; a swept category's range of item ids at that category's rate so
 * far), with the margin a purge batch keeps: a worker never starts one that
 * could outrun it.
 *
 * A swept category's range of item ids that does not fit is shrunk to the
 * ids that do, at its rate so far, and the rest goes to the range
 * after it (or to a new last one): on a slow or busy machine a range that
 * can never fit a whole delivery would otherwise stop the day's planning.
 * The ranges stay contiguous and are written in item order, so the manifest
 * is the one a plan written at once has.
 */
export async function fitStep(engine: Engine, stepId: number, deadline: number) {
  const [step] = await engine.db.$queryRaw<Estimate[]>(sql`
    SELECT s.kind, s.last_item - s.first_item + 1 AS size,
           (SELECT sum(o.work_ms)::float8 / sum(o.last_item - o.first_item + 1) FROM plan_steps o
            WHERE o.plan_id = s.plan_id AND o.kind = 'SWEPT_ITEMS' AND o.category = s.category
              AND o.work_ms IS NOT NULL) AS ms_per_item,
           (SELECT coalesce(max(o.work_ms) FILTER (WHERE o.category IS NOT DISTINCT FROM s.category), max(o.work_ms))
            FROM plan_steps o WHERE o.plan_id = s.plan_id AND o.kind = s.kind) AS longest
    FROM plan_steps s WHERE s.id = ${stepId}`);
  if (!step) return false;
  const left = deadline - Date.now() - START_MS;
  if (step.kind !== "SWEPT_ITEMS" || step.ms_per_item === null || step.size === null)
    return (step.longest ?? 0) * MARGIN <= left;
  const fitting = Math.floor(left / (MARGIN * Math.max(step.ms_per_item, 1e-6)));
  if (fitting >= Number(step.size)) return true;
  const least = Math.max(1, Math.floor(engine.settings.planStepItems / LEAST_SHARE));
  return fitting >= least && shrinkStep(engine, stepId, BigInt(fitting));
}

/**
 * Leaves a pending, unleased range its first `items` ids and hands the rest
 * to the range after it (which waits for this one, so has not started);
 * false when another worker has it.
 */
async function shrinkStep(engine: Engine, stepId: number, items: bigint) {
  return engine.db.$transaction(async (tx) => {
    const [step] = await tx.$queryRaw<
      { plan_id: string; category: RetentionCategory; first_item: bigint; last_item: bigint }[]
    >(sql`
      SELECT plan_id, category, first_item, last_item FROM plan_steps
      WHERE id = ${stepId} AND status = 'PENDING' AND coalesce(lease_until < now(), true)
      FOR UPDATE`);
    if (!step) return false;
    const cut = step.first_item + items - 1n;
    const next = await tx.$executeRaw(sql`
      UPDATE plan_steps SET first_item = ${cut + 1n}
      WHERE plan_id = ${step.plan_id} AND kind = 'SWEPT_ITEMS' AND category = ${step.category}::"RetentionCategory"
        AND first_item = ${step.last_item + 1n}`);
    if (next === 0)
      await tx.planStep.create({
        data: {
          planId: step.plan_id,
          kind: "SWEPT_ITEMS",
          category: step.category,
          firstItem: cut + 1n,
          lastItem: step.last_item,
        },
      });
    await tx.$executeRaw(sql`UPDATE plan_steps SET last_item = ${cut} WHERE id = ${stepId}`);
    engine.log.info(
      { planId: step.plan_id, stepId, items: Number(items) },
      "planning step shrunk to fit",
    );
    return true;
  });
}
