import type { Prisma } from "../../generated/prisma/client";
import type { Plan, RetentionCategory } from "../../generated/prisma/enums";
import type { Actor } from "../evidence/audit-log";
import { isSwept, rowCategories } from "../categories";
import type { Engine } from "../deps";
import { addDays } from "../policy/effective-window";
import {
  loadOverrideRows,
  overrideLookup,
  type OverrideRow,
  type ScopedOrg,
} from "../policy/org-windows";
import { raw, sql, type Tx } from "../sql";
import { loadNoticeCutoffs, noticeCutoffLookup, type NoticeCutoffRow } from "../notices/period";
import { refuseBeyondCap } from "./open-previews";
import { categoriesOf, planRow, type PreviewRequest, type Resolved } from "./request";
import { queueRunnableSteps } from "./step-queue";

/**
 * What a plan planned in steps computes its windows from, read once when
 * planning starts: its orgs (id, plan, name) and their overrides. Every
 * step computes its windows from these, so an override set or an org's
 * plan changed while it plans does not change it: it is the plan written
 * in one go at its `asOf`. Legal holds are not frozen: each step leaves out
 * the orgs under a hold when it runs, as every purge batch does again.
 */
export type Daily = { snapshotDay: string; runKey: string };

export type Frozen = {
  orgs: [number, Plan, string][];
  overrides: [number, RetentionCategory, number | null][];
  categories: RetentionCategory[];
  wholeFleet: boolean;
  actor: Actor;
  /** The request's scope as its audit entry names it. */
  orgIds: number[] | null;
  /** The daily run's plan: the day of the storage snapshot its steps take, and the run it starts. */
  daily?: Daily;
  /** The notice period's cutoffs at `asOf` (notices/period.ts); absent in plans made before it. */
  noticeCutoffs?: NoticeCutoffRow[];
};

/** The frozen inputs as the policy reads them. */
function thaw(frozen: Frozen) {
  const orgs: ScopedOrg[] = frozen.orgs.map(([id, plan, name]) => ({ id, plan, name }));
  const rows: OverrideRow[] = frozen.overrides.map(([orgId, category, days]) => ({
    orgId,
    category,
    days,
  }));
  return {
    orgs,
    overrides: overrideLookup(rows),
    notices: noticeCutoffLookup(frozen.noticeCutoffs),
  };
}

export type Thawed = ReturnType<typeof thaw>;

/** The frozen inputs of the plan whose steps this process worked last. */
let lastRead: { planId: string; frozen: Frozen; thawed: Thawed } | null = null;

/**
 * A plan's frozen inputs, as stored and thawed. They never change once its
 * planning starts, and at 30,000 orgs they are about a megabyte of JSON: a worker
 * reads and thaws them once for the plan whose steps it works, not once a
 * step (hundreds of steps a plan at that size).
 */
export async function frozenInputs(tx: Tx, planId: string) {
  if (lastRead?.planId !== planId) {
    const [row] = await tx.$queryRaw<{ frozen: Frozen | null }[]>(
      sql`SELECT frozen FROM purge_plans WHERE id = ${planId}`,
    );
    if (!row?.frozen)
      throw new Error(`Plan ${planId} has no frozen inputs: it is not planned in steps.`);
    lastRead = { planId, frozen: row.frozen, thawed: thaw(row.frozen) };
  }
  return lastRead;
}

/** The orgs of a step's range. */
export const orgsIn = (orgs: ScopedOrg[], first: number | null, last: number | null) =>
  orgs.filter((o) => o.id >= (first ?? 0) && o.id <= (last ?? Number.MAX_SAFE_INTEGER));

type StepRow = Prisma.PlanStepCreateManyInput;

/**
 * A step is never shrunk below this share of its configured size: each
 * pays a fixed cost (about a second at 10,000 orgs), so ever smaller steps
 * would take ever longer per item.
 */
const LEAST_SHARE = 10;

/**
 * The least size of a step of `configured` size; also the size of each
 * kind and category's first step, which has no rate to be fitted by
 * (categories differ tenfold in cost per org): its time is what the later
 * ones are fitted by.
 */
export const leastSize = (configured: number) => Math.max(1, Math.floor(configured / LEAST_SHARE));

/**
 * Orgs (in id order) as step ranges: the first of the least size (see
 * leastSize), the others of `size`. Planning steps and opening steps alike.
 */
export function orgRanges(orgs: { id: number }[], size: number) {
  const ranges: { firstOrg: number; lastOrg: number; orgCount: number }[] = [];
  for (let i = 0; i < orgs.length;) {
    const run = orgs.slice(i, i + (i === 0 ? leastSize(size) : size));
    ranges.push({ firstOrg: run[0]?.id ?? 0, lastOrg: run.at(-1)?.id ?? 0, orgCount: run.length });
    i += run.length;
  }
  return ranges;
}

/**
 * The planning steps of a plan, in the order they are numbered: per
 * category, its items (per range of orgs, or for a swept category per range
 * of item ids, then its entries per range of orgs; drift checks first find
 * the latest check of each environment, per range of orgs), the day's
 * storage snapshot for a daily plan, and the finish. Each kind and category's
 * first range is of the least size, its rate then fits the others.
 */
async function stepsOf(tx: Tx, engine: Engine, planId: string, frozen: Frozen, orgs: ScopedOrg[]) {
  const steps: StepRow[] = [];
  const byOrgs = orgRanges(orgs, engine.settings.planStepOrgs);
  const categories = new Map(rowCategories().map((c) => [c.key, c]));
  for (const key of frozen.categories) {
    const swept = isSwept(key) ? categories.get(key) : undefined;
    if (!swept) {
      for (const r of byOrgs) steps.push({ planId, kind: "ITEMS", category: key, ...r });
      continue;
    }
    const [ids] = await tx.$queryRaw<{ first: bigint | null; last: bigint | null }[]>(
      sql`SELECT min(id)::bigint AS first, max(id)::bigint AS last FROM ${raw(swept.table)}`,
    );
    const size = BigInt(engine.settings.planStepItems);
    const first = BigInt(leastSize(engine.settings.planStepItems));
    if (swept.recordsNewer)
      for (const r of byOrgs) steps.push({ planId, kind: "LATEST_CHECKS", category: key, ...r });
    for (let from = ids?.first ?? 0n; from <= (ids?.last ?? -1n);) {
      const to = from + (from === ids?.first ? first : size);
      steps.push({
        planId,
        kind: "SWEPT_ITEMS",
        category: key,
        firstItem: from,
        lastItem: to - 1n,
      });
      from = to;
    }
    for (const r of byOrgs) steps.push({ planId, kind: "SWEPT_ENTRIES", category: key, ...r });
  }
  if (frozen.daily)
    for (const c of rowCategories())
      for (const r of byOrgs) steps.push({ planId, kind: "SNAPSHOT", category: c.key, ...r });
  steps.push({ planId, kind: "FINISH" });
  return steps;
}

/**
 * Creates a plan in PLANNING with its planning steps, its `asOf` and what
 * its windows are computed from frozen now, and queues the steps that may
 * start. `planKey` names the daily run's plan (one per day).
 */
export async function createPlanning(
  engine: Engine,
  request: PreviewRequest,
  resolved: Resolved,
  daily?: Daily,
): Promise<string> {
  const { orgs } = resolved;
  const overrides = await loadOverrideRows(
    engine.db,
    request.scope.orgIds ? orgs.map((o) => o.id) : null,
  );
  const frozen: Frozen = {
    orgs: orgs.map((o) => [o.id, o.plan, o.name]),
    overrides: overrides.map((o) => [o.orgId, o.category, o.days]),
    categories: categoriesOf(request).map((c) => c.key),
    wholeFleet: resolved.wholeFleet,
    actor: request.actor,
    orgIds: request.scope.orgIds,
    ...(daily ? { daily } : {}),
    noticeCutoffs: await loadNoticeCutoffs(
      engine.db,
      orgs,
      engine.settings.policy,
      categoriesOf(request).map((c) => c.key),
      resolved.asOf,
    ),
  };
  const planId = await engine.db.$transaction(
    async (tx) => {
      await refuseBeyondCap(tx, engine, request.actor);
      const plan = await tx.purgePlan.create({
        data: {
          ...planRow(engine, request, resolved),
          status: "PLANNING",
          // Replaced when planning completes: the confirmation window starts then.
          expiresAt: addDays(engine.now(), engine.settings.planTtlMinutes / 1440),
          planKey: daily?.runKey ?? null,
          frozen: frozen as unknown as Prisma.InputJsonValue,
        },
        select: { id: true },
      });
      await tx.planStep.createMany({ data: await stepsOf(tx, engine, plan.id, frozen, orgs) });
      return plan.id;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
  await queueRunnableSteps(engine, planId);
  engine.log.info({ planId, trigger: request.trigger, orgs: orgs.length }, "planning started");
  return planId;
}
