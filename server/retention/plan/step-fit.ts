import type { PlanStepKind, RetentionCategory } from "../../generated/prisma/enums";
import type { Engine } from "../deps";
import { raw, sql, type Tx } from "../sql";
import { frozenInputs, leastSize, orgsIn } from "./planning";

/**
 * The margin a step keeps: half its estimate, at most MARGIN_CAP_MS (the
 * working deadline already stops short of the function's cut-off), plus
 * START_MS.
 */
const MARGIN = 0.5;
const MARGIN_CAP_MS = 2_000;
const START_MS = 250;

type Step = {
  kind: PlanStepKind;
  plan_id: string;
  category: RetentionCategory | null;
  first_item: bigint | null;
  last_item: bigint | null;
  first_org: number | null;
  last_org: number | null;
  /** Its item ids (a swept category's range) or its orgs. */
  size: number;
  /** Milliseconds per id or per org of the done steps of its kind and category. */
  rate: number | null;
  /** Not yet done (nor given up on). */
  open: boolean;
};

/** A step's size, of step row `s` or `o`. */
const sizeOf = (row: "s" | "o") => {
  const r = raw(row);
  return sql`CASE WHEN ${r}.kind = 'SWEPT_ITEMS' THEN ${r}.last_item - ${r}.first_item + 1 ELSE ${r}.org_count END`;
};

const withMargin = (ms: number) => ms + Math.min(ms * MARGIN, MARGIN_CAP_MS) + START_MS;

/**
 * Whether a step fits before the deadline at the rate of the done steps of
 * its kind and category, with its margin: a worker never starts one that
 * could outrun it. The first step of a kind and category has nothing to go
 * by and is started: it is of the least size (see leastSize).
 *
 * A step that does not fit is shrunk to what does and the rest becomes
 * another step, so on a slow or busy machine no step is too big for a
 * delivery. A swept category's range of item ids hands its rest to the
 * range after it (or to a new last one): the ranges stay contiguous and are
 * written in item order, so the manifest is the one a plan written at once
 * has. A range of orgs becomes two.
 *
 * A step that is done, given up on or gone (its plan cleaned up) is passed
 * on to the claim, which lets its job go: paused, the job would be queued
 * again and taken again at once, ahead of any task, until the deadline.
 */
export async function fitStep(engine: Engine, stepId: number, deadline: number) {
  const [step] = await engine.db.$queryRaw<Step[]>(sql`
    SELECT s.kind, s.plan_id, s.category, s.first_item, s.last_item, s.first_org, s.last_org,
           (${sizeOf("s")})::float8 AS size,
           r.ms / nullif(r.size, 0) AS rate, s.status IN ('PENDING', 'RUNNING') AS open
    FROM plan_steps s,
    LATERAL (
      SELECT sum(o.work_ms)::float8 AS ms, sum(${sizeOf("o")}) AS size
      FROM plan_steps o
      WHERE o.plan_id = s.plan_id AND o.kind = s.kind AND o.category IS NOT DISTINCT FROM s.category
        AND o.work_ms IS NOT NULL) r
    WHERE s.id = ${stepId}`);
  if (!step?.open) return true;
  if (step.kind === "FINISH" || step.kind === "OPEN" || step.rate === null || !step.size)
    return true;
  const left = deadline - Date.now();
  if (withMargin(step.rate * step.size) <= left) return true;
  const rate = Math.max(step.rate, 1e-6);
  const fitting = Math.floor(
    Math.max((left - START_MS) / ((1 + MARGIN) * rate), (left - START_MS - MARGIN_CAP_MS) / rate),
  );
  const configured =
    step.kind === "SWEPT_ITEMS" ? engine.settings.planStepItems : engine.settings.planStepOrgs;
  if (fitting < leastSize(configured)) return false;
  return engine.db.$transaction(async (tx) => {
    if (!(await lockPending(tx, stepId))) return false;
    if (step.kind === "SWEPT_ITEMS") await shrinkRange(tx, stepId, step, BigInt(fitting));
    else await splitOrgs(tx, stepId, step, fitting);
    engine.log.info({ planId: step.plan_id, stepId, kept: fitting }, "planning step shrunk to fit");
    return true;
  });
}

/** Locks a step that no worker holds and that has not started; false otherwise. */
async function lockPending(tx: Tx, stepId: number) {
  const rows = await tx.$queryRaw<{ id: number }[]>(sql`
    SELECT id FROM plan_steps
    WHERE id = ${stepId} AND status = 'PENDING' AND coalesce(lease_until < now(), true)
    FOR UPDATE`);
  return rows.length > 0;
}

/**
 * Leaves a swept range its first `items` ids and hands the rest to the
 * range after it (which waits for this one, so has not started).
 */
async function shrinkRange(tx: Tx, stepId: number, step: Step, items: bigint) {
  const first = step.first_item ?? 0n;
  const last = step.last_item ?? 0n;
  const cut = first + items - 1n;
  const next = await tx.$executeRaw(sql`
    UPDATE plan_steps SET first_item = ${cut + 1n}
    WHERE plan_id = ${step.plan_id} AND kind = 'SWEPT_ITEMS' AND category = ${step.category}::"RetentionCategory"
      AND first_item = ${last + 1n}`);
  if (next === 0)
    await tx.planStep.create({
      data: {
        planId: step.plan_id,
        kind: "SWEPT_ITEMS",
        category: step.category,
        firstItem: cut + 1n,
        lastItem: last,
      },
    });
  await tx.$executeRaw(sql`UPDATE plan_steps SET last_item = ${cut} WHERE id = ${stepId}`);
}

/** Leaves a range of orgs its first `orgs` orgs; the rest become a new step of the same kind. */
async function splitOrgs(tx: Tx, stepId: number, step: Step, orgs: number) {
  const { thawed } = await frozenInputs(tx, step.plan_id);
  const mine = orgsIn(thawed.orgs, step.first_org, step.last_org)
    .map((o) => o.id)
    .sort((a, b) => a - b);
  const kept = mine.slice(0, orgs);
  const rest = mine.slice(orgs);
  await tx.planStep.update({
    where: { id: stepId },
    data: { lastOrg: kept.at(-1) ?? step.first_org, orgCount: kept.length },
  });
  await tx.planStep.create({
    data: {
      planId: step.plan_id,
      kind: step.kind,
      category: step.category,
      firstOrg: rest[0] ?? null,
      lastOrg: step.last_org,
      orgCount: rest.length,
    },
  });
}
