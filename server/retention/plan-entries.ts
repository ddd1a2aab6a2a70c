import type { Plan, RetentionCategory } from "../generated/prisma/enums";
import { category as categoryOf } from "./category-lookup";
import type { Engine } from "./engine";
import { cutoffFor, effectiveWindow } from "./policy";
import { eligibilityReason } from "./reasons";
import { sql, type Tx } from "./sql";
import type { OverrideLookup, ScopedOrg } from "./windows";

const SAMPLE_SIZE = 5;

export type GuardrailReason =
  | { kind: "whole-fleet" }
  | { kind: "share"; orgId: number; orgName: string; category: RetentionCategory; share: number };

export type Guardrails = {
  reasons: GuardrailReason[];
  /** What the operator types to confirm: the org's name for a one-org purge, else DELETE. */
  confirmPhrase: string | null;
};

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
  itemCount: number;
  bytes: bigint;
  totalItems: number;
  totalBytes: bigint;
  sample: SampleItem[];
};

const ENTRIES_PER_STATEMENT = 5000;

/**
 * Writes the entries as JSON rows, a few thousand per statement. A
 * fleet-wide plan has ~100k of them: the ORM's createMany spends minutes
 * compiling a query that size.
 */
async function insertEntries(tx: Tx, entries: Entry[]) {
  for (let i = 0; i < entries.length; i += ENTRIES_PER_STATEMENT) {
    const rows = JSON.stringify(
      entries.slice(i, i + ENTRIES_PER_STATEMENT),
      (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    );
    await tx.$executeRaw(sql`
      INSERT INTO plan_entries (plan_id, org_id, category, cutoff, window_days, item_count, bytes,
                                total_items, total_bytes, sample)
      SELECT e."planId", e."orgId", e.category::"RetentionCategory", e.cutoff, e."windowDays", e."itemCount",
             e.bytes, e."totalItems", e."totalBytes", e.sample
      FROM jsonb_to_recordset(${rows}::jsonb) AS e("planId" text, "orgId" int, category text,
        cutoff timestamptz, "windowDays" int, "itemCount" int, bytes bigint, "totalItems" int,
        "totalBytes" bigint, sample jsonb)`);
  }
}

/** Stored items per org of one category, to weigh what the plan takes against what there is. */
async function storedItems(
  tx: Tx,
  category: RetentionCategory,
  orgIds: number[],
  orphanTotals: Map<number, number>,
) {
  const c = categoryOf(category);
  if (c.kind === "objects")
    return new Map(orgIds.map((id) => [id, { items: orphanTotals.get(id) ?? 0, bytes: 0n }]));
  const rows = await tx.$queryRaw<{ org_id: number; items: bigint; bytes: bigint }[]>(
    c.inventory(orgIds),
  );
  return new Map(rows.map((r) => [r.org_id, { items: Number(r.items), bytes: BigInt(r.bytes) }]));
}

/**
 * Per org × category of a freshly written manifest: counts and bytes (one
 * aggregate), what the org stores, a small sample with reasons, the frozen
 * window; then the guardrails the confirmation must acknowledge.
 */
export async function buildEntries(
  tx: Tx,
  engine: Engine,
  input: {
    planId: string;
    orgs: ScopedOrg[];
    asOf: Date;
    wholeFleet: boolean;
    erasureId: number | null;
    overrides: OverrideLookup;
    orphanTotals: Map<number, number>;
  },
) {
  const aggregates = await tx.$queryRaw<Aggregate[]>(sql`
    SELECT org_id, category, count(*)::int AS items, coalesce(sum(bytes), 0)::bigint AS bytes
    FROM plan_items WHERE plan_id = ${input.planId} GROUP BY org_id, category`);
  const samples = await tx.$queryRaw<
    {
      org_id: number;
      category: RetentionCategory;
      item_id: number | null;
      object_key: string | null;
      bytes: bigint;
      eligible_at: Date;
    }[]
  >(sql`
    SELECT org_id, category, item_id, object_key, bytes, eligible_at FROM (
      SELECT pi.*, row_number() OVER (PARTITION BY org_id, category ORDER BY id) AS n
      FROM plan_items pi WHERE plan_id = ${input.planId}
    ) s WHERE n <= ${SAMPLE_SIZE}`);
  const orgById = new Map(input.orgs.map((o) => [o.id, o]));
  // Grouped once: a fleet-wide plan has ~100k entries and ~500k sample rows,
  // too many to filter per entry.
  const samplesOf = new Map<string, typeof samples>();
  for (const s of samples) {
    const key = `${s.org_id}:${s.category}`;
    const group = samplesOf.get(key);
    if (group) group.push(s);
    else samplesOf.set(key, [s]);
  }
  const stored = new Map<RetentionCategory, Map<number, { items: number; bytes: bigint }>>();
  for (const category of new Set(aggregates.map((a) => a.category))) {
    const orgIds = aggregates.filter((a) => a.category === category).map((a) => a.org_id);
    stored.set(category, await storedItems(tx, category, orgIds, input.orphanTotals));
  }

  const reasons: GuardrailReason[] = input.wholeFleet ? [{ kind: "whole-fleet" }] : [];
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
    const total = stored.get(a.category)?.get(a.org_id) ?? { items: a.items, bytes: a.bytes };
    const share = total.items > 0 ? a.items / total.items : 1;
    if (!input.erasureId && share > engine.settings.guardrailShare) {
      reasons.push({
        kind: "share",
        orgId: a.org_id,
        orgName: org?.name ?? `org ${a.org_id}`,
        category: a.category,
        share,
      });
    }
    const sample: SampleItem[] = (samplesOf.get(`${a.org_id}:${a.category}`) ?? []).map((s) => ({
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
      }),
    }));
    return {
      planId: input.planId,
      orgId: a.org_id,
      category: a.category,
      cutoff:
        windowDays !== null && a.category !== "BACKUPS" ? cutoffFor(input.asOf, windowDays) : null,
      windowDays: a.category === "BACKUPS" ? null : windowDays,
      itemCount: a.items,
      bytes: a.bytes,
      totalItems: Math.max(total.items, a.items),
      totalBytes: total.bytes > a.bytes ? total.bytes : a.bytes,
      sample,
    };
  });
  await insertEntries(tx, entries);
  const singleOrg = input.orgs.length === 1 ? input.orgs[0] : undefined;
  const guardrails: Guardrails = {
    reasons,
    confirmPhrase: reasons.length === 0 ? null : (singleOrg?.name ?? "DELETE"),
  };
  return {
    itemCount: entries.reduce((sum, e) => sum + BigInt(e.itemCount), 0n),
    bytes: entries.reduce((sum, e) => sum + e.bytes, 0n),
    guardrails,
  };
}
