import type { RetentionCategory } from "../../generated/prisma/enums";
import { appendAudit } from "../evidence/audit-log";
import type { Engine } from "../deps";
import { refuseBeyondCap } from "./open-previews";
import { buildEntries, categoriesWithItems } from "./entries";
import { addDays } from "../policy/effective-window";
import { idArray, type Tx } from "../sql";
import { loadNoticeCutoffs, noticeCutoffLookup } from "../notices/period";
import { END_OF_TIME, loadOverrides, windowsFor, type ScopedOrg } from "../policy/org-windows";
import { collect } from "./collect";
import { afterPlanned } from "./finish";
import { manifestHashOf } from "./manifest-hash";
import { createPlanning } from "./planning";
import {
  categoriesOf,
  isQuick,
  planRow,
  previewedDetails,
  resolveRequest,
  type PreviewRequest,
} from "./request";
import { planNow } from "./step-runner";

export type { PreviewRequest } from "./request";

/** Writes a quick scope's manifest, one part per category; their digests, in order. */
async function writeManifest(
  tx: Tx,
  planId: string,
  request: PreviewRequest,
  orgs: ScopedOrg[],
  engine: Engine,
  asOf: Date,
) {
  const overrides = await loadOverrides(
    engine.db,
    orgs.map((o) => o.id),
  );
  const orphanTotals = new Map<number, number>();
  const digests: string[] = [];
  const only = request.scope.only ?? null;
  const categories = categoriesOf(request);
  // An erasure takes everything: no notice period holds it.
  const notices = noticeCutoffLookup(
    request.erasure
      ? []
      : await loadNoticeCutoffs(
          tx,
          orgs,
          engine.settings.policy,
          categories.map((c) => c.key),
          asOf,
        ),
  );
  for (const category of categories) {
    const windows =
      request.erasure && category.kind === "rows"
        ? [{ orgId: request.erasure.orgId, days: 0, cutoff: END_OF_TIME, asOf: END_OF_TIME }]
        : windowsFor(category, orgs, engine.settings.policy, overrides, asOf, 0, notices);
    const part = await collect(tx, planId, category, windows, engine, {
      memberId: request.erasure?.memberId ?? undefined,
      only: only ? idArray(only.ids) : undefined,
    });
    digests.push(part.digest);
    for (const [orgId, count] of part.stored) orphanTotals.set(orgId, count);
  }
  return {
    overrides,
    notices,
    orphanTotals,
    digests,
    categories: categories.map((c) => c.key) as RetentionCategory[],
  };
}

/**
 * A quick scope's dry run (one org, chosen items, an erasure), written in
 * one transaction within the request: cutoffs, counts and bytes per org ×
 * category, a sample with reasons, the manifest of every item and its hash,
 * and the guardrails a confirmation must acknowledge.
 */
async function previewAtOnce(engine: Engine, request: PreviewRequest) {
  const resolved = await resolveRequest(engine, request);
  const { asOf, orgs } = resolved;
  const itemCount = await engine.db.$transaction(
    async (tx) => {
      await refuseBeyondCap(tx, engine, request.actor);
      const { id: planId } = await tx.purgePlan.create({
        data: {
          ...planRow(engine, request, resolved),
          expiresAt: addDays(engine.now(), engine.settings.planTtlMinutes / 1440),
          plannedAt: engine.now(),
        },
        select: { id: true },
      });
      const written = await writeManifest(tx, planId, request, orgs, engine, asOf);
      const summary = await buildEntries(tx, engine, {
        planId,
        orgs,
        asOf,
        wholeFleet: resolved.wholeFleet,
        erasureId: request.erasure?.id ?? null,
        ...written,
      });
      await tx.purgePlan.update({
        where: { id: planId },
        data: {
          manifestHash: manifestHashOf(written.digests),
          itemCount: summary.itemCount,
          bytes: summary.bytes,
          guardrails: summary.guardrails,
        },
      });
      await appendAudit(tx, {
        actor: request.actor,
        action: "purge.previewed",
        orgId: orgs.length === 1 ? orgs[0]?.id : null,
        target: `plan:${planId}`,
        details: previewedDetails(request, {
          categories: written.categories.length,
          withItems: await categoriesWithItems(tx, planId),
          items: summary.itemCount,
          bytes: summary.bytes,
          guardrails: summary.guardrails.reasons.length,
        }),
      });
      return { planId, items: summary.itemCount };
    },
    { timeout: 30 * 60_000, maxWait: 30_000 },
  );
  await afterPlanned(engine, itemCount.planId, itemCount.items);
  return itemCount.planId;
}

/**
 * A dry run: computes what a purge of `scope` would delete and stores it as
 * a plan, frozen. Deletes nothing. A quick scope is planned at once
 * (planning: false); any other is created PLANNING and its planning steps
 * queued, for workers to write (planning: true; see planningProgress).
 * Refused beyond the open previews a person, or everyone, may keep
 * (refuseBeyondCap).
 */
export async function requestPreview(
  engine: Engine,
  request: PreviewRequest,
): Promise<{ planId: string; planning: boolean }> {
  if (isQuick(request)) return { planId: await previewAtOnce(engine, request), planning: false };
  const resolved = await resolveRequest(engine, request);
  return { planId: await createPlanning(engine, request, resolved), planning: true };
}

/**
 * A dry run written now, for callers that need the plan before they go on
 * (tests, benches, scripts): requested, then its steps worked here until
 * it is PREVIEWED.
 */
export async function previewPurge(engine: Engine, request: PreviewRequest) {
  const { planId, planning } = await requestPreview(engine, request);
  if (planning) await planNow(engine, planId);
  return planId;
}
