import type { Plan, RetentionCategory } from "../../generated/prisma/enums";
import { categoryOf } from "../categories";
import type { Engine } from "../deps";
import { cutoffFor, effectiveWindow, restoreWindow } from "../policy/effective-window";
import type { NoticeCutoffs } from "../notices/period";
import { eligibilityReason, planDaysIfOverridden } from "./reasons";
import { sql, type Tx } from "../sql";
import type { OverrideLookup, ScopedOrg } from "../policy/org-windows";
import { addShares, guardrailsOf, type Share, type Shares } from "./guardrails";

const SAMPLE_SIZE = 5;

export type SampleItem = {
  itemId: number | null;
  objectKey: string | null;
  bytes: string;
  eligibleAt: string;
  reason: string;
};

type Aggregate = { org_id: number; category: RetentionCategory; items: number; bytes: bigint };

type Entry = {
  planId: string;
  orgId: number;
  category: RetentionCategory;
  cutoff: Date | null;
  windowDays: number | null;
  restoreDays: number;
  itemCount: number;
  bytes: bigint;
  totalItems: number;
  sample: SampleItem[];
};

const ENTRIES_PER_STATEMENT = 5000;

/**
 * Writes the entries as JSON rows, a few thousand per statement. A
 * fleet-wide plan has ~100k of them: the ORM's createMany spends minutes
 * compiling a query that size.
 */
export async function insertEntries(tx: Tx, entries: Entry[]) {
  for (let i = 0; i < entries.length; i += ENTRIES_PER_STATEMENT) {
    const rows = JSON.stringify(
      entries.slice(i, i + ENTRIES_PER_STATEMENT),
      (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    );
    await tx.$executeRaw(sql`
      INSERT INTO plan_entries (plan_id, org_id, category, cutoff, window_days, restore_days,
                                item_count, bytes, total_items, sample)
      SELECT e."planId", e."orgId", e.category::"RetentionCategory", e.cutoff, e."windowDays",
             e."restoreDays", e."itemCount", e.bytes, e."totalItems", e.sample
      FROM jsonb_to_recordset(${rows}::jsonb) AS e("planId" text, "orgId" int, category text,
        cutoff timestamptz, "windowDays" int, "restoreDays" int, "itemCount" int, bytes bigint, "totalItems" int,
        sample jsonb)`);
  }
}

/**
 * Stored items per org of one category, to weigh what the plan takes against
 * what there is. Their bytes are left out of the inventory's statement, so
 * the planner need not read the rows to measure them: drift checks are then
 * counted from an index alone, where reading a range of orgs' checks meant
 * reading most of the table (they lie scattered by time), more of it the
 * larger the fleet (docs/benchmarks.md).
 */
async function storedItems(
  tx: Tx,
  category: RetentionCategory,
  orgIds: number[],
  orphanTotals: Map<number, number>,
) {
  const c = categoryOf(category);
  if (c.kind === "objects") return new Map(orgIds.map((id) => [id, orphanTotals.get(id) ?? 0]));
  const rows = await tx.$queryRaw<{ org_id: number; items: bigint }[]>(
    sql`SELECT inv.org_id, inv.items FROM (${c.inventory(orgIds)}) inv`,
  );
  return new Map(rows.map((r) => [r.org_id, Number(r.items)]));
}

type Sample = {
  org_id: number;
  category: RetentionCategory;
  item_id: number | null;
  object_key: string | null;
  bytes: bigint;
  eligible_at: Date;
};

export type EntryInput = {
  planId: string;
  /** Only this category's entries (a planning step's), else every category's. */
  category?: RetentionCategory;
  orgs: ScopedOrg[];
  asOf: Date;
  wholeFleet: boolean;
  erasureId: number | null;
  overrides: OverrideLookup;
  /** The notice period's cutoffs, frozen with the plan. */
  notices?: NoticeCutoffs;
  orphanTotals: Map<number, number>;
};

const earlier = (cutoff: Date, told: Date | undefined) => (told && told < cutoff ? told : cutoff);

/**
 * Orgs whose entries are built and written together. The worker holds one
 * chunk's aggregates and samples at a time, so a dry run's memory does not
 * grow with the fleet.
 */
const ORGS_PER_CHUNK = 1000;

/** The first SAMPLE_SIZE items of each of these org × category aggregates, by index probes. */
const samplesOf = (planId: string, aggregates: Aggregate[]) => sql`
  SELECT a.org_id, a.category, p.item_id, p.object_key, p.bytes, p.eligible_at
  FROM unnest(${aggregates.map((a) => a.org_id)}::int[], ${aggregates.map((a) => a.category)}::"RetentionCategory"[])
       AS a(org_id, category)
  CROSS JOIN LATERAL (
    SELECT item_id, object_key, bytes, eligible_at FROM plan_items
    WHERE plan_id = ${planId} AND org_id = a.org_id AND category = a.category
    ORDER BY id LIMIT ${SAMPLE_SIZE}) p`;

/** The entries of one chunk of orgs, and the shares among them above the guardrail. */
export async function entriesOf(tx: Tx, engine: Engine, input: EntryInput, orgs: ScopedOrg[]) {
  const only = input.category ? sql`AND category = ${input.category}::"RetentionCategory"` : sql``;
  const aggregates = await tx.$queryRaw<Aggregate[]>(sql`
    SELECT org_id, category, count(*)::int AS items, coalesce(sum(bytes), 0)::bigint AS bytes
    FROM plan_items WHERE plan_id = ${input.planId} AND org_id = ANY(${orgs.map((o) => o.id)}::int[]) ${only}
    GROUP BY org_id, category`);
  if (aggregates.length === 0) return { entries: [], shares: [] };
  const samples = new Map<string, Sample[]>();
  for (const s of await tx.$queryRaw<Sample[]>(samplesOf(input.planId, aggregates))) {
    const key = `${s.org_id}:${s.category}`;
    const group = samples.get(key);
    if (group) group.push(s);
    else samples.set(key, [s]);
  }
  const stored = new Map<RetentionCategory, Map<number, number>>();
  for (const category of new Set(aggregates.map((a) => a.category))) {
    const orgIds = aggregates.filter((a) => a.category === category).map((a) => a.org_id);
    stored.set(category, await storedItems(tx, category, orgIds, input.orphanTotals));
  }
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const shares: Share[] = [];
  const entries = aggregates.map((a): Entry => {
    const org = orgById.get(a.org_id);
    const plan: Plan = org?.plan ?? "FREE";
    const window = effectiveWindow(
      plan,
      a.category,
      engine.settings.policy,
      input.overrides(a.org_id, a.category),
    );
    const windowDays = input.erasureId ? null : (window?.days ?? null);
    const total = stored.get(a.category)?.get(a.org_id) ?? a.items;
    const share = total > 0 ? a.items / total : 1;
    if (!input.erasureId && share > engine.settings.guardrailShare) {
      shares.push({
        kind: "share",
        orgId: a.org_id,
        orgName: org?.name ?? `org ${a.org_id}`,
        category: a.category,
        share,
      });
    }
    const sample: SampleItem[] = (samples.get(`${a.org_id}:${a.category}`) ?? []).map((s) => ({
      itemId: s.item_id,
      objectKey: s.object_key,
      bytes: String(s.bytes),
      eligibleAt: s.eligible_at.toISOString(),
      reason: eligibilityReason({
        category: a.category,
        plan,
        windowDays,
        eligibleAt: s.eligible_at,
        erasureId: input.erasureId,
        planDays: planDaysIfOverridden(plan, a.category, engine.settings.policy, window),
      }),
    }));
    return {
      planId: input.planId,
      orgId: a.org_id,
      category: a.category,
      cutoff:
        windowDays !== null && a.category !== "BACKUPS"
          ? earlier(cutoffFor(input.asOf, windowDays), input.notices?.(a.org_id, a.category))
          : null,
      windowDays: a.category === "BACKUPS" ? null : windowDays,
      // An erasure is final at once: nothing of it waits to be restored.
      restoreDays: input.erasureId ? 0 : restoreWindow(plan, a.category, engine.settings.policy),
      itemCount: a.items,
      bytes: a.bytes,
      totalItems: Math.max(total, a.items),
      sample,
    };
  });
  return { entries, shares };
}

/**
 * Writes the entries of these orgs, a chunk at a time, per org × category
 * of a freshly written manifest (or of `input.category`): counts and bytes
 * (one aggregate), what the org stores, a small sample with reasons, the
 * frozen window. Returns their totals and their shares above the guardrail.
 */
export async function writeEntries(tx: Tx, engine: Engine, input: EntryInput) {
  let itemCount = 0n;
  let bytes = 0n;
  let shares: Shares = { listed: [], more: 0 };
  for (let i = 0; i < input.orgs.length; i += ORGS_PER_CHUNK) {
    const chunk = await entriesOf(tx, engine, input, input.orgs.slice(i, i + ORGS_PER_CHUNK));
    await insertEntries(tx, chunk.entries);
    for (const e of chunk.entries) {
      itemCount += BigInt(e.itemCount);
      bytes += e.bytes;
    }
    shares = addShares(shares, { listed: chunk.shares, more: 0 });
  }
  return { itemCount, bytes, shares };
}

/** How many categories a plan found items in: those its run will have tasks in. */
export async function categoriesWithItems(tx: Tx, planId: string) {
  const [row] = await tx.$queryRaw<{ n: number }[]>(
    sql`SELECT count(DISTINCT category)::int AS n FROM plan_entries WHERE plan_id = ${planId}`,
  );
  return row?.n ?? 0;
}

/** The entries of a plan written at once, then the guardrails the confirmation must acknowledge. */
export async function buildEntries(tx: Tx, engine: Engine, input: EntryInput) {
  const { itemCount, bytes, shares } = await writeEntries(tx, engine, input);
  const singleOrg = input.orgs.length === 1 ? input.orgs[0] : undefined;
  return {
    itemCount,
    bytes,
    guardrails: guardrailsOf(input.wholeFleet, shares, singleOrg?.name ?? null),
  };
}
