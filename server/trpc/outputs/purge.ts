import { z } from "zod";
import { ErasureStatus, PlanStatus } from "../../generated/prisma/enums";
import { category, plan } from "../schemas";
import { erasureScope, runStatus, taskStatus, trigger } from "./common";

/** How far a dry run's planning got: its progress bar. */
export const planningProgress = z.strictObject({
  status: z.enum(PlanStatus),
  stepsDone: z.number(),
  stepsTotal: z.number(),
  orgCount: z.number(),
  categoryCount: z.number(),
  orgsPlanned: z.number(),
  categoriesPlanned: z.number(),
  items: z.bigint(),
  bytes: z.bigint(),
  startedAt: z.date(),
  etaSeconds: z.number().nullable(),
});

export const openPreviews = z.array(
  z.strictObject({
    id: z.string(),
    status: z.enum(PlanStatus),
    createdAt: z.date(),
    bytes: z.bigint(),
    trigger,
    expiresAt: z.date(),
    itemCount: z.bigint(),
    erasureId: z.number().nullable(),
    progress: planningProgress.nullable(),
  }),
);

export const discarded = z.strictObject({ planId: z.string(), itemsRemoved: z.number() });

/**
 * The plan's scope, guardrails and samples are JSON the preview stored:
 * loose, so keys the console does not read (and those of older plans)
 * pass through unchanged while the ones it reads are checked.
 */
const planScope = z.looseObject({
  orgIds: z.array(z.number()).nullable(),
  categories: z.array(category).nullable(),
  only: z
    .looseObject({ category, ids: z.array(z.number()) })
    .nullable()
    .optional(),
});

const guardrails = z.looseObject({
  reasons: z.array(
    z.discriminatedUnion("kind", [
      z.looseObject({ kind: z.literal("whole-fleet") }),
      z.looseObject({
        kind: z.literal("share"),
        orgId: z.number(),
        orgName: z.string(),
        category,
        share: z.number(),
      }),
    ]),
  ),
  moreShares: z.number().optional(),
  confirmPhrase: z.string().nullable(),
});

const sampleItem = z.looseObject({
  itemId: z.number().nullable(),
  objectKey: z.string().nullable(),
  bytes: z.string(),
  eligibleAt: z.string(),
  reason: z.string(),
});

/** Of the items a plan or run purges, how many are deleted and how many only archived. */
const actionCounts = z.strictObject({ deletes: z.bigint(), archives: z.bigint() });

/** The orgs of a plan's scope an org-wide legal hold left out of it (console/held-out.ts). */
const heldOut = z.strictObject({
  count: z.number(),
  listed: z.array(z.strictObject({ orgId: z.number(), orgName: z.string(), holdId: z.number() })),
});

export const planView = z.strictObject({
  id: z.string(),
  trigger,
  status: z.enum(PlanStatus),
  asOf: z.date(),
  createdAt: z.date(),
  expiresAt: z.date(),
  discardedAt: z.date().nullable(),
  cancelled: z.boolean(),
  manifestRemovedAt: z.date().nullable(),
  createdById: z.number().nullable(),
  createdBy: z.string(),
  itemCount: z.bigint(),
  actions: actionCounts.nullable(),
  undo: z
    .strictObject({ restorable: z.bigint(), longestDays: z.number(), final: z.bigint() })
    .nullable(),
  bytes: z.bigint(),
  manifestHash: z.string(),
  scope: planScope,
  heldOut,
  guardrails,
  runId: z.string().nullable(),
  erasureId: z.number().nullable(),
  erasure: z
    .strictObject({
      id: z.number(),
      scope: erasureScope,
      keptByHold: z.number(),
      /** Its artifacts under a pin in force: the erasure takes them anyway and ends their pins. */
      takesPinned: z.number(),
    })
    .nullable(),
  entryCount: z.number(),
  entries: z.array(
    z.strictObject({
      orgId: z.number(),
      orgName: z.string(),
      plan: plan.nullable(),
      category,
      cutoff: z.date().nullable(),
      windowDays: z.number().nullable(),
      restoreDays: z.number().nullable(),
      itemCount: z.number(),
      bytes: z.bigint(),
      totalItems: z.number(),
      sample: z.array(sampleItem),
    }),
  ),
});

/** What a run covered (server/console/run-scope.ts). */
const runScope = z.strictObject({
  allOrgs: z.boolean(),
  orgCount: z.number().nullable(),
  orgNames: z.array(z.string()),
  allCategories: z.boolean(),
  categoryCount: z.number().nullable(),
  chosenItems: z.boolean(),
  heldOut: z.number(),
});

/** What a run has settled so far, and its share of the plan's items. */
const settledCounts = {
  deleted: z.bigint(),
  skipped: z.bigint(),
  failed: z.bigint(),
  bytesFreed: z.bigint(),
};

export const runProgress = z.strictObject({
  id: z.string(),
  runKey: z.string(),
  planId: z.string(),
  trigger: z.string(),
  status: runStatus,
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  tasks: z.strictObject({
    total: z.number(),
    open: z.number(),
    failed: z.number(),
    awaitingReview: z.number(),
  }),
  eligible: z.bigint(),
  ...settledCounts,
  actions: actionCounts,
  opening: z.strictObject({ ranges: z.number(), opened: z.number() }).nullable(),
  fraction: z.number(),
});

export const runPage = z.strictObject({
  total: z.number(),
  runs: z.array(
    z.strictObject({
      id: z.string(),
      runKey: z.string(),
      trigger,
      startedBy: z.string(),
      scope: runScope.nullable(),
      status: runStatus,
      startedAt: z.date(),
      finishedAt: z.date().nullable(),
      durationMs: z.number().nullable(),
      itemsTotal: z.bigint(),
      ...settledCounts,
    }),
  ),
});

/** What a task or a sweep did, batch by batch. */
const workCounts = {
  id: z.number(),
  category,
  status: taskStatus,
  deleted: z.number(),
  skipped: z.number(),
  failed: z.number(),
  bytesFreed: z.bigint(),
  batches: z.number(),
  longestBatchMs: z.number(),
  lastError: z.string().nullable(),
};

export const runDetail = z.strictObject({
  progress: runProgress,
  startedBy: z.string(),
  scope: runScope.nullable(),
  heldOut,
  guard: z.strictObject({ earlierRuns: z.number(), forecast: z.boolean() }).nullable(),
  erasure: z
    .strictObject({
      id: z.number(),
      scope: erasureScope,
      status: z.enum(ErasureStatus),
      incompleteReason: z.string().nullable(),
      carriedOn: z.boolean(),
    })
    .nullable(),
  taskCount: z.number(),
  tasks: z.array(
    z.strictObject({
      ...workCounts,
      orgId: z.number(),
      orgName: z.string(),
      plan,
      eligible: z.number(),
      archives: z.boolean(),
      attempts: z.number(),
    }),
  ),
  sweeps: z.array(z.strictObject({ ...workCounts, settled: z.number() })),
  skipReasons: z.array(z.strictObject({ category, reason: z.string(), count: z.number() })),
});
