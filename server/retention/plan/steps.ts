import type { Prisma } from "../../generated/prisma/client";
import type { PlanStepKind, RetentionCategory } from "../../generated/prisma/enums";
import { categoryOf } from "../categories";
import type { Engine } from "../deps";
import { writeSnapshot } from "../evidence/storage-snapshots";
import { windowsFor } from "../policy/org-windows";
import { leasedTo } from "../run/leases";
import { sql, type Tx } from "../sql";
import { collect } from "./collect";
import { writeEntries } from "./entries";
import type { Shares } from "./guardrails";
import { finishPlanning, type Finished } from "./finish";
import { foundLatestChecks, writeLatestChecks } from "./latest-checks";
import { frozenInputs, orgsIn, type Frozen, type Thawed } from "./planning";
import { waitsSql } from "./step-queue";
import { workOpeningStep, type Opened } from "../run/opening";

export type Step = {
  id: number;
  plan_id: string;
  kind: PlanStepKind;
  category: RetentionCategory | null;
  first_org: number | null;
  last_org: number | null;
  first_item: bigint | null;
  last_item: bigint | null;
};

type Plan = { status: string; as_of: Date; frozen: Frozen; thawed: Thawed };

/** What a step wrote, kept on its row: the finish and the progress read these. */
type Wrote = { items: bigint; bytes: bigint; digest: string | null; shares: Shares | null };

const NOTHING: Wrote = { items: 0n, bytes: 0n, digest: null, shares: null };

/** One category's items, and for a per-org category its entries, for the step's orgs or item ids. */
async function writeItems(tx: Tx, engine: Engine, step: Step, plan: Plan): Promise<Wrote> {
  const category = categoryOf(step.category ?? "ARTIFACTS");
  const { orgs, overrides, notices } = plan.thawed;
  const swept = step.kind === "SWEPT_ITEMS";
  const mine = swept ? orgs : orgsIn(orgs, step.first_org, step.last_org);
  const windows = windowsFor(
    category,
    mine,
    engine.settings.policy,
    overrides,
    plan.as_of,
    0,
    notices,
  );
  const part = await collect(tx, step.plan_id, category, windows, engine, {
    itemRange:
      swept && step.first_item !== null && step.last_item !== null
        ? { first: step.first_item, last: step.last_item }
        : undefined,
    latestChecks:
      swept && category.kind === "rows" && category.recordsNewer
        ? foundLatestChecks(step.plan_id)
        : undefined,
  });
  if (swept) return { ...part, shares: null };
  const { shares } = await writeEntries(tx, engine, {
    ...entryInput(step, plan, mine),
    orphanTotals: part.stored,
  });
  return { ...part, shares };
}

function entryInput(step: Step, plan: Plan, orgs: Thawed["orgs"]) {
  return {
    planId: step.plan_id,
    category: step.category ?? undefined,
    orgs,
    asOf: plan.as_of,
    wholeFleet: plan.frozen.wholeFleet,
    erasureId: null,
    overrides: plan.thawed.overrides,
    notices: plan.thawed.notices,
    orphanTotals: new Map<number, number>(),
  };
}

/** A swept category's entries for the step's orgs, once all its items are written. */
async function writeSweptEntries(tx: Tx, engine: Engine, step: Step, plan: Plan): Promise<Wrote> {
  const orgs = orgsIn(plan.thawed.orgs, step.first_org, step.last_org);
  const { shares } = await writeEntries(tx, engine, entryInput(step, plan, orgs));
  return { ...NOTHING, shares };
}

/** The latest check of each environment of the step's orgs, for the plan's ranges of drift checks. */
async function findLatestChecks(tx: Tx, step: Step, plan: Plan): Promise<Wrote> {
  const orgIds = orgsIn(plan.thawed.orgs, step.first_org, step.last_org).map((o) => o.id);
  await writeLatestChecks(tx, step.plan_id, orgIds);
  return NOTHING;
}

/** The day's storage snapshot of one category for the step's orgs. */
async function writeSnapshotPart(tx: Tx, step: Step, plan: Plan): Promise<Wrote> {
  const day = plan.frozen.daily?.snapshotDay;
  if (day && step.category) {
    const orgIds = orgsIn(plan.thawed.orgs, step.first_org, step.last_org).map((o) => o.id);
    await writeSnapshot(tx, new Date(day), { orgIds, categories: [step.category] });
  }
  return NOTHING;
}

/** Why a step was not worked: its plan is no longer planning (or its run opening), or another worker has it. */
export type NotWorked = "gone" | "busy" | "waits";

/** What a worked step leaves to do after its commit: a planning step's, or an opening step's. */
export type AfterStep =
  { kind: "planned"; finished: Finished | null } | { kind: "opened"; opened: Opened };

const OPENING: ReadonlySet<PlanStepKind> = new Set(["TASKS", "OPEN"]);

/** Works a planning step: its part of the plan, or the finish. */
async function workPlanningStep(tx: Tx, engine: Engine, step: Step, plan: Plan) {
  let wrote = NOTHING;
  let finished: Finished | null = null;
  if (step.kind === "ITEMS" || step.kind === "SWEPT_ITEMS")
    wrote = await writeItems(tx, engine, step, plan);
  else if (step.kind === "SWEPT_ENTRIES") wrote = await writeSweptEntries(tx, engine, step, plan);
  else if (step.kind === "LATEST_CHECKS") wrote = await findLatestChecks(tx, step, plan);
  else if (step.kind === "SNAPSHOT") wrote = await writeSnapshotPart(tx, step, plan);
  else finished = await finishPlanning(tx, engine, step.plan_id, plan.frozen);
  return { wrote, after: { kind: "planned", finished } as const };
}

/**
 * Works one step in one transaction: it writes its part and marks itself
 * done, or nothing at all, so a worker killed mid-step leaves nothing and
 * the step is worked again exactly once. A planning step shares the plan's
 * row lock so a cancellation waits for the step in flight and every later
 * step sees it; an opening step needs its run still opening. The step's row
 * is locked and must still be this worker's and not done.
 */
export async function workStep(
  engine: Engine,
  stepId: number,
): Promise<
  | { done: true; planId: string; after: AfterStep }
  | { done: false; why: NotWorked }
  | { done: false; why: "cancelled"; planId: string }
> {
  return engine.db.$transaction(
    async (tx) => {
      const [step] = await tx.$queryRaw<(Step & { mine: boolean; waits: boolean })[]>(sql`
        SELECT s.id, s.plan_id, s.kind, s.category, s.first_org, s.last_org, s.first_item, s.last_item,
               (${leasedTo(engine)}) AS mine, ${waitsSql(sql`s`)} AS waits
        FROM plan_steps s WHERE s.id = ${stepId} FOR UPDATE`);
      if (!step || !step.mine) return { done: false, why: step ? "busy" : "gone" } as const;
      const started = Date.now();
      let worked: { wrote: Wrote; after: AfterStep };
      if (OPENING.has(step.kind)) {
        if (step.waits) return { done: false, why: "waits" } as const;
        const opened = await workOpeningStep(tx, engine, step);
        if (!opened) return { done: false, why: "gone" } as const;
        worked = { wrote: NOTHING, after: { kind: "opened", opened } };
      } else {
        const [plan] = await tx.$queryRaw<{ status: string; as_of: Date }[]>(sql`
          SELECT status, as_of FROM purge_plans WHERE id = ${step.plan_id} FOR SHARE`);
        if (plan?.status !== "PLANNING")
          return { done: false, why: "cancelled", planId: step.plan_id } as const;
        if (step.waits) return { done: false, why: "waits" } as const;
        const { frozen, thawed } = await frozenInputs(tx, step.plan_id);
        worked = await workPlanningStep(tx, engine, step, { ...plan, frozen, thawed });
      }
      const { wrote } = worked;
      await tx.planStep.update({
        where: { id: step.id },
        data: {
          status: "SUCCEEDED",
          items: wrote.items,
          bytes: wrote.bytes,
          digest: wrote.digest,
          shares: (wrote.shares ?? undefined) as Prisma.InputJsonValue | undefined,
          finishedAt: new Date(),
          workMs: Date.now() - started,
          leaseOwner: null,
          leaseUntil: null,
        },
      });
      return { done: true, planId: step.plan_id, after: worked.after } as const;
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
}
