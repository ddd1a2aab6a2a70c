import type { Db } from "../db";
import { AppError } from "../errors";
import type { RetentionCategory } from "../generated/prisma/enums";
import { ARCHIVING_CATEGORIES, countByAction } from "../retention/categories/actions";
import { artifactsInScope } from "../retention/erasure/outcome";
import { scopeView } from "../retention/erasure/scope";
import type { SampleItem } from "../retention/plan/entries";
import type { Guardrails } from "../retention/plan/guardrails";
import { sql } from "../retention/sql";
import { pinInForceAt } from "../retention/policy/pin-rules";
import { actorLabels, purgeActor } from "../retention/evidence/actor-label";
import { heldOutOrgs } from "./held-out";

const NO_GUARDRAILS: Guardrails = { reasons: [], confirmPhrase: null };

/**
 * Of the items a plan deletes (archived ones aside), how many an admin can
 * restore after the run (the longest window among them) and how many are
 * deleted for good at once: said before the operator confirms.
 */
function undoOf(
  rows: { category: RetentionCategory; restoreDays: number; _sum: { itemCount: number | null } }[],
) {
  const deleted = rows.filter((r) => !ARCHIVING_CATEGORIES.includes(r.category));
  const restorable = deleted.filter((r) => r.restoreDays > 0);
  const sum = (of: typeof rows) => of.reduce((n, r) => n + BigInt(r._sum.itemCount ?? 0), 0n);
  return {
    restorable: sum(restorable),
    longestDays: Math.max(0, ...restorable.map((r) => r.restoreDays)),
    final: sum(deleted.filter((r) => r.restoreDays === 0)),
  };
}

/** A plan as the console shows it: header, guardrails and a page of its org × category entries. */
export async function planView(
  db: Db,
  planId: string,
  page: { offset: number; limit: number },
  now: Date,
) {
  const plan = await db.purgePlan.findUnique({
    where: { id: planId },
    include: { run: { select: { id: true } } },
  });
  if (!plan) throw new AppError("NOT_FOUND", `No preview ${planId}.`);
  const [entries, entryCount, categories] = await Promise.all([
    db.planEntry.findMany({
      where: { planId },
      orderBy: [{ bytes: "desc" }, { orgId: "asc" }, { category: "asc" }],
      skip: page.offset,
      take: page.limit,
    }),
    db.planEntry.count({ where: { planId } }),
    db.planEntry.groupBy({
      by: ["category", "restoreDays"],
      where: { planId },
      _sum: { itemCount: true },
    }),
  ]);
  const orgs = await db.organization.findMany({
    where: { id: { in: [...new Set(entries.map((e) => e.orgId))] } },
    select: { id: true, name: true, plan: true },
  });
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const erasure = plan.erasureId
    ? await db.erasureRequest.findUnique({ where: { id: plan.erasureId } })
    : null;
  // A preview leaves out artifacts under a hold of their own; the erasure stays incomplete for them.
  const [held] = erasure
    ? await db.$queryRaw<{ n: number }[]>(sql`
        SELECT count(*)::int AS n FROM (${artifactsInScope(erasure.orgId, erasure.scopeMemberId)}) x
        WHERE x.held`)
    : [];
  // A pin never keeps an item from an erasure: the preview says how many it takes anyway.
  const [pinned] = erasure
    ? await db.$queryRaw<{ n: number }[]>(sql`
        SELECT count(DISTINCT p.artifact_id)::int AS n FROM pins p
        WHERE p.org_id = ${erasure.orgId} AND p.scope = 'ARTIFACT' AND ${pinInForceAt(now)}
          AND p.artifact_id IN (SELECT i.item_id FROM plan_items i
                                WHERE i.plan_id = ${plan.id} AND i.org_id = ${erasure.orgId}
                                  AND i.category = 'ARTIFACTS')`)
    : [];
  const creator = purgeActor({
    trigger: plan.trigger,
    userId: plan.createdById,
    tokenId: plan.createdByTokenId,
  });
  const label = await actorLabels(db, [creator]);
  const heldOut = await heldOutOrgs(db, plan.id);
  // Planned in steps and not finished: no guardrails yet; discarded so, it was cancelled.
  const unfinished = plan.frozen !== null && plan.plannedAt === null;
  const cancelled = unfinished && plan.status === "DISCARDED";
  const expired =
    plan.status === "EXPIRED" ||
    (plan.status === "PREVIEWED" && plan.expiresAt.getTime() < now.getTime());
  return {
    id: plan.id,
    trigger: plan.trigger,
    status: expired ? ("EXPIRED" as const) : plan.status,
    asOf: plan.asOf,
    createdAt: plan.createdAt,
    expiresAt: plan.expiresAt,
    discardedAt: plan.discardedAt,
    cancelled,
    /** Set once an expired or discarded preview's entries and items were deleted. */
    manifestRemovedAt: plan.manifestRemovedAt,
    createdById: plan.createdById,
    /** Who asked for it: a person, an API token, or the daily schedule. */
    createdBy: label(creator),
    itemCount: plan.itemCount,
    /** Null once a closed preview's entries were deleted: only its totals are left. */
    actions: plan.manifestRemovedAt
      ? null
      : countByAction(
          categories.map((c) => ({ category: c.category, items: c._sum.itemCount ?? 0 })),
        ),
    /** Of what it deletes, what waits in a restore window and what goes for good at once. */
    undo: plan.manifestRemovedAt ? null : undoOf(categories),
    bytes: plan.bytes,
    manifestHash: plan.manifestHash,
    scope: plan.scope as {
      orgIds: number[] | null;
      categories: RetentionCategory[] | null;
      only?: { category: RetentionCategory; ids: number[] } | null;
    },
    /** The orgs of its scope an org-wide legal hold left out. */
    heldOut,
    guardrails: unfinished ? NO_GUARDRAILS : (plan.guardrails as unknown as Guardrails),
    runId: plan.run?.id ?? null,
    erasureId: plan.erasureId,
    /** The erasure this plan previews, with its scope exactly as requested. */
    erasure: erasure
      ? {
          id: erasure.id,
          scope: scopeView(erasure),
          keptByHold: held?.n ?? 0,
          takesPinned: pinned?.n ?? 0,
        }
      : null,
    entryCount,
    entries: entries.map((e) => ({
      orgId: e.orgId,
      orgName: orgById.get(e.orgId)?.name ?? `org ${e.orgId}`,
      plan: orgById.get(e.orgId)?.plan ?? null,
      category: e.category,
      cutoff: e.cutoff,
      windowDays: e.windowDays,
      /** Days an admin may restore its items after they are purged; 0: deleted for good at once. */
      restoreDays: ARCHIVING_CATEGORIES.includes(e.category) ? null : e.restoreDays,
      itemCount: e.itemCount,
      bytes: e.bytes,
      totalItems: e.totalItems,
      sample: e.sample as unknown as SampleItem[],
    })),
  };
}

export type PlanView = Awaited<ReturnType<typeof planView>>;
