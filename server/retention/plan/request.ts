import { AppError } from "../../errors";
import type { PurgeTrigger } from "../../generated/prisma/enums";
import type { Actor } from "../evidence/audit-log";
import { categoryOf } from "../categories";
import type { Engine } from "../deps";
import { backupKeep } from "../policy/effective-window";
import type { ScopedOrg } from "../policy/org-windows";
import { coversEverything, resolveCategories, resolveOrgs, type PurgeScope } from "./scope";

export type PreviewRequest = {
  scope: PurgeScope;
  trigger: PurgeTrigger;
  actor: Actor;
  /** An approved erasure: all of the org's (or member's) artifacts, regardless of age and plan. */
  erasure?: { id: number; orgId: number; memberId: number | null };
};

/** The categories a preview covers: an erasure's artifacts, chosen items' category, or the scope's. */
export function categoriesOf(request: PreviewRequest) {
  const only = request.scope.only ?? null;
  if (request.erasure) return resolveCategories(["ARTIFACTS"]);
  return resolveCategories(only ? [only.category] : request.scope.categories);
}

/**
 * A quick scope is planned at once, within the request: one org, chosen
 * items, or an erasure. Any other is planned in steps.
 */
export const isQuick = (request: PreviewRequest) =>
  !!request.erasure || !!request.scope.only || request.scope.orgIds?.length === 1;

/** A request checked and resolved: its clock, its orgs, whether it covers everything. */
export type Resolved = { asOf: Date; orgs: ScopedOrg[]; wholeFleet: boolean };

export async function resolveRequest(engine: Engine, request: PreviewRequest): Promise<Resolved> {
  const now = engine.now();
  const asOf = request.scope.asOf ?? now;
  if (asOf.getTime() > now.getTime()) {
    throw new AppError(
      "BAD_INPUT",
      "asOf is in the future: a purge never runs ahead of its policy. Leave it empty or pick a past date.",
    );
  }
  const orgs = request.erasure
    ? await resolveOrgs(engine.db, [request.erasure.orgId])
    : await resolveOrgs(engine.db, request.scope.orgIds);
  if (request.scope.only && categoryOf(request.scope.only.category).kind !== "rows") {
    throw new AppError("BAD_INPUT", "Only row categories can be narrowed to chosen items.");
  }
  const wholeFleet = !request.erasure && (await coversEverything(engine.db, request.scope));
  return { asOf, orgs, wholeFleet };
}

/** The columns of a new plan that say what it covers and who asked. */
export function planRow(engine: Engine, request: PreviewRequest, resolved: Resolved) {
  return {
    trigger: request.trigger,
    scope: {
      orgIds: request.erasure ? [request.erasure.orgId] : request.scope.orgIds,
      categories: request.erasure ? ["ARTIFACTS"] : request.scope.categories,
      only: request.scope.only ?? null,
      memberId: request.erasure?.memberId ?? null,
      backupKeep: backupKeep(engine.settings.policy),
      // What it covered, resolved now: "all 10,000 orgs · 13 categories" stays true later.
      orgCount: resolved.orgs.length,
      categoryCount: categoriesOf(request).length,
    },
    asOf: resolved.asOf,
    createdById: request.actor === "system" ? null : request.actor.id,
    createdByTokenId: request.actor === "system" ? null : (request.actor.tokenId ?? null),
    manifestHash: "",
    guardrails: {},
    erasureId: request.erasure?.id ?? null,
  };
}

/** The audit entry's details of a plan's preview. */
export const previewedDetails = (
  request: Pick<PreviewRequest, "trigger" | "scope">,
  plan: {
    categories: number;
    withItems: number;
    items: bigint;
    bytes: bigint;
    guardrails: number;
  },
) => ({
  trigger: request.trigger,
  orgs: request.scope.orgIds?.length ?? "all",
  categories: plan.categories,
  // What the confirmation's entry counts: the categories its run has tasks in.
  categoriesWithItems: plan.withItems,
  items: plan.items,
  bytes: plan.bytes,
  guardrails: plan.guardrails,
});
