import type { Prisma } from "../../generated/prisma/client";
import { appendAudit } from "../evidence/audit-log";
import type { Engine } from "../deps";
import { addDays } from "../policy/effective-window";
import { sql, type Tx } from "../sql";
import { addShares, guardrailsOf, type Shares } from "./guardrails";
import { categoriesWithItems } from "./entries";
import { dropLatestChecks } from "./latest-checks";
import { manifestHashOf } from "./manifest-hash";
import type { Daily, Frozen } from "./planning";
import { previewedDetails } from "./request";

/** A plan whose planning just completed: what happens after its commit needs these. */
export type Finished = { planId: string; items: bigint; daily: Daily | null };

/**
 * The finishing step: what spans the plan, from what each step kept on its
 * row (bounded by the number of steps, not of items): its totals, its
 * guardrails, the manifest hash from the steps' digests. The plan is then
 * PREVIEWED, and its confirmation window starts now; the latest checks its
 * steps found are no longer needed.
 */
export async function finishPlanning(
  tx: Tx,
  engine: Engine,
  planId: string,
  frozen: Frozen,
): Promise<Finished> {
  const steps = await tx.planStep.findMany({
    where: { planId },
    select: { items: true, bytes: true, digest: true, shares: true },
    orderBy: { id: "asc" },
  });
  let items = 0n;
  let bytes = 0n;
  let shares: Shares = { listed: [], more: 0 };
  const digests: string[] = [];
  for (const s of steps) {
    items += s.items;
    bytes += s.bytes;
    if (s.digest !== null) digests.push(s.digest);
    if (s.shares) shares = addShares(shares, s.shares as unknown as Shares);
  }
  await dropLatestChecks(tx, planId);
  const single = frozen.orgs.length === 1 ? (frozen.orgs[0]?.[2] ?? null) : null;
  const guardrails = guardrailsOf(frozen.wholeFleet, shares, single);
  const now = engine.now();
  const plan = await tx.purgePlan.update({
    where: { id: planId },
    data: {
      status: "PREVIEWED",
      plannedAt: now,
      expiresAt: addDays(now, engine.settings.planTtlMinutes / 1440),
      manifestHash: manifestHashOf(digests),
      itemCount: items,
      bytes,
      guardrails: guardrails as unknown as Prisma.InputJsonValue,
    },
    select: { trigger: true },
  });
  const orgIds = frozen.orgIds;
  await appendAudit(tx, {
    actor: frozen.actor,
    action: "purge.previewed",
    orgId: frozen.orgs.length === 1 ? frozen.orgs[0]?.[0] : null,
    target: `plan:${planId}`,
    details: previewedDetails(
      { trigger: plan.trigger, scope: { orgIds, categories: null } },
      {
        categories: frozen.categories.length,
        withItems: await categoriesWithItems(tx, planId),
        items,
        bytes,
        guardrails: guardrails.reasons.length,
      },
    ),
  });
  return { planId, items, daily: frozen.daily ?? null };
}

/** Items from which a manifest is big enough to change the planner's picture of plan_items. */
const LARGE_MANIFEST = 50_000n;

/**
 * After a plan's manifest is complete. The run reads it batch by batch:
 * until autovacuum notices a big one, the planner takes plan_items for as
 * small as before and scans it whole for each batch.
 */
export async function afterPlanned(engine: Engine, planId: string, items: bigint) {
  if (items >= LARGE_MANIFEST) await engine.db.$executeRaw(sql`ANALYZE plan_items`);
  engine.log.info({ planId, items }, "plan previewed");
}
