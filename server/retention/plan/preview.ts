import { randomUUID } from "node:crypto";
import { AppError } from "../../errors";
import type { PurgeTrigger, RetentionCategory } from "../../generated/prisma/enums";
import { appendAudit, type Actor } from "../evidence/audit-log";
import type { ObjectCategory, RowCategory } from "../categories/category";
import { categoryOf, isSwept } from "../categories";
import type { Engine } from "../deps";
import { refuseBeyondCap } from "./open-previews";
import { buildEntries } from "./entries";
import { addDays, backupKeep } from "../policy/effective-window";
import { coversEverything, resolveCategories, resolveOrgs, type PurgeScope } from "./scope";
import { idArray, sql, type Sql, type Tx } from "../sql";
import { END_OF_TIME, windowsRelation, type OrgWindow } from "../policy/org-windows";
import { loadOverrides, windowsFor, type ScopedOrg } from "../policy/org-windows";

export type PreviewRequest = {
  scope: PurgeScope;
  trigger: PurgeTrigger;
  actor: Actor;
  /** An approved erasure: all of the org's (or member's) artifacts, regardless of age and plan. */
  erasure?: { id: number; orgId: number; memberId: number | null };
};

/**
 * Writes the eligible rows of one category into the plan's manifest,
 * set-based: in item order for a swept category, whose sweeps walk the
 * manifest in id order (see run/sweeps/), by org otherwise.
 */
async function collectRows(
  tx: Tx,
  planId: string,
  category: RowCategory,
  windows: OrgWindow[],
  engine: Engine,
  narrow: { memberId?: number; only?: Sql },
) {
  if (windows.length === 0) return;
  await tx.$executeRaw(sql`
    WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)}
    INSERT INTO plan_items (plan_id, org_id, category, item_id, object_key, bytes, eligible_at, newer_item_id)
    SELECT ${planId}, e.org_id, ${category.key}::"RetentionCategory", e.item_id, e.object_key, e.bytes,
           e.aged_at + make_interval(days => w.days), ${category.recordsNewer ? sql`e.newer_item_id` : sql`NULL::int`}
    FROM (${category.eligible({ windows: sql`windows`, keepNewest: backupKeep(engine.settings.policy), ...narrow })}) e
    JOIN windows w ON w.org_id = e.org_id
    ORDER BY ${isSwept(category.key) ? sql`e.item_id` : sql`e.org_id, e.item_id`}`);
}

/**
 * Lists each org's prefix page by page and writes the unreferenced objects
 * older than the window into the manifest. Returns how many objects each
 * org stores, for the guardrail's share.
 */
async function collectOrphans(
  tx: Tx,
  planId: string,
  category: ObjectCategory,
  windows: OrgWindow[],
  engine: Engine,
) {
  const stored = new Map<number, number>();
  if (windows.length === 0) return stored;
  const unheld = await tx.$queryRaw<{ org_id: number; days: number; cutoff: Date }[]>(
    sql`SELECT org_id, days, cutoff FROM ${windowsRelation(windows)} w`,
  );
  for (const w of unheld) {
    let cursor: string | null = null;
    let count = 0;
    do {
      const page = await category.eligiblePage(tx, engine.store, w.org_id, w.cutoff, cursor);
      cursor = page.nextCursor;
      count += page.scanned;
      const found = page.candidates;
      if (found.length === 0) continue;
      await tx.$executeRaw(sql`
        INSERT INTO plan_items (plan_id, org_id, category, object_key, bytes, eligible_at)
        SELECT ${planId}, ${w.org_id}, ${category.key}::"RetentionCategory", k.key, k.bytes,
               k.modified + make_interval(days => ${w.days}::int)
        FROM unnest(${found.map((o) => o.key)}::text[], ${found.map((o) => o.bytes)}::bigint[],
                    ${found.map((o) => o.lastModified.toISOString())}::timestamptz[]) AS k(key, bytes, modified)`);
    } while (cursor);
    stored.set(w.org_id, count);
  }
  return stored;
}

/** The categories a preview covers: an erasure's artifacts, chosen items' category, or the scope's. */
function categoriesOf(request: PreviewRequest) {
  const only = request.scope.only ?? null;
  if (request.erasure) return resolveCategories(["ARTIFACTS"]);
  return resolveCategories(only ? [only.category] : request.scope.categories);
}

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
  const only = request.scope.only ?? null;
  const categories = categoriesOf(request);
  for (const category of categories) {
    if (category.kind === "rows") {
      const windows = request.erasure
        ? [{ orgId: request.erasure.orgId, days: 0, cutoff: END_OF_TIME }]
        : windowsFor(category, orgs, engine.settings.policy, overrides, asOf);
      await collectRows(tx, planId, category, windows, engine, {
        memberId: request.erasure?.memberId ?? undefined,
        only: only ? idArray(only.ids) : undefined,
      });
    } else {
      const windows = windowsFor(category, orgs, engine.settings.policy, overrides, asOf);
      for (const [orgId, count] of await collectOrphans(tx, planId, category, windows, engine))
        orphanTotals.set(orgId, count);
    }
  }
  return {
    overrides,
    orphanTotals,
    categories: categories.map((c) => c.key) as RetentionCategory[],
  };
}

/** Items from which a manifest is big enough to change the planner's picture of plan_items. */
const LARGE_MANIFEST = 50_000n;

/** SHA-256 over the manifest in order: what the plan may touch, and nothing else. */
async function manifestHash(tx: Tx, planId: string) {
  const [row] = await tx.$queryRaw<{ hash: string }[]>(sql`
    SELECT encode(sha256(convert_to(coalesce(string_agg(
      category::text || ':' || org_id || ':' || coalesce(item_id::text, object_key), E'\n' ORDER BY id), ''), 'UTF8')), 'hex') AS hash
    FROM plan_items WHERE plan_id = ${planId}`);
  return row?.hash ?? "";
}

/**
 * A dry run: computes what a purge of `scope` would delete now and stores it
 * as a plan, frozen: cutoffs, counts and bytes per org × category, a sample
 * with reasons, the manifest of every item and its hash, and the guardrails
 * a confirmation must acknowledge. Deletes nothing. Refused beyond the
 * open previews a person, or everyone, may keep (refuseBeyondCap).
 */
export async function previewPurge(engine: Engine, request: PreviewRequest) {
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
  const planId = randomUUID();
  const wholeFleet = !request.erasure && (await coversEverything(engine.db, request.scope));
  const itemCount = await engine.db.$transaction(
    async (tx) => {
      await refuseBeyondCap(tx, engine, request.actor);
      await tx.purgePlan.create({
        data: {
          id: planId,
          trigger: request.trigger,
          scope: {
            orgIds: request.erasure ? [request.erasure.orgId] : request.scope.orgIds,
            categories: request.erasure ? ["ARTIFACTS"] : request.scope.categories,
            only: request.scope.only ?? null,
            memberId: request.erasure?.memberId ?? null,
            backupKeep: backupKeep(engine.settings.policy),
            // What it covered, resolved now: "all 10,000 orgs · 13 categories" stays true later.
            orgCount: orgs.length,
            categoryCount: categoriesOf(request).length,
          },
          asOf,
          createdById: request.actor === "system" ? null : request.actor.id,
          createdByTokenId: request.actor === "system" ? null : (request.actor.tokenId ?? null),
          expiresAt: addDays(now, engine.settings.planTtlMinutes / 1440),
          manifestHash: "",
          guardrails: {},
          erasureId: request.erasure?.id ?? null,
        },
      });
      const written = await writeManifest(tx, planId, request, orgs, engine, asOf);
      const summary = await buildEntries(tx, engine, {
        planId,
        orgs,
        asOf,
        wholeFleet,
        erasureId: request.erasure?.id ?? null,
        ...written,
      });
      const hash = await manifestHash(tx, planId);
      await tx.purgePlan.update({
        where: { id: planId },
        data: {
          manifestHash: hash,
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
        details: {
          trigger: request.trigger,
          orgs: request.scope.orgIds?.length ?? "all",
          categories: written.categories.length,
          items: summary.itemCount,
          bytes: summary.bytes,
          guardrails: summary.guardrails.reasons.length,
        },
      });
      return summary.itemCount;
    },
    { timeout: 30 * 60_000, maxWait: 30_000 },
  );
  // The run reads this manifest batch by batch. Until autovacuum notices a
  // big one, the planner takes plan_items for as small as before and scans
  // it whole for each batch.
  if (itemCount >= LARGE_MANIFEST) await engine.db.$executeRaw(sql`ANALYZE plan_items`);
  engine.log.info({ planId, trigger: request.trigger, items: itemCount }, "plan previewed");
  return planId;
}
