import type { RetentionCategory } from "../../generated/prisma/enums";
import { categoryOf } from "../categories";
import { sql, type Tx } from "../sql";
import { takeEntryParts } from "./entry-parts";

export type Aggregate = {
  org_id: number;
  category: RetentionCategory;
  items: number;
  bytes: bigint;
};

export type CountsInput = {
  planId: string;
  /** Only this category's entries (a planning step's), else every category's. */
  category?: RetentionCategory;
  /** Each org's stored objects, for orphan objects (listed while writing the manifest). */
  orphanTotals: Map<number, number>;
  /** A swept category planned in steps: its counts and what the orgs store come from its entry parts. */
  fromParts?: boolean;
};

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

type Stored = Map<RetentionCategory, Map<number, { items: number; bytes: bigint }>>;

/**
 * Counts and bytes per org × category of these orgs' items, and what each
 * org stores: from the manifest and the category's table, or summed from a
 * swept category's entry parts.
 */
export async function countsOf(tx: Tx, input: CountsInput, orgIds: number[]) {
  const stored: Stored = new Map();
  if (input.fromParts && input.category) {
    const parts = await takeEntryParts(tx, input.planId, input.category, orgIds);
    stored.set(
      input.category,
      new Map(
        parts.map((p) => [p.org_id, { items: Number(p.stored_items), bytes: p.stored_bytes }]),
      ),
    );
    return { aggregates: parts, stored };
  }
  const only = input.category ? sql`AND category = ${input.category}::"RetentionCategory"` : sql``;
  const aggregates = await tx.$queryRaw<Aggregate[]>(sql`
    SELECT org_id, category, count(*)::int AS items, coalesce(sum(bytes), 0)::bigint AS bytes
    FROM plan_items WHERE plan_id = ${input.planId} AND org_id = ANY(${orgIds}::int[]) ${only}
    GROUP BY org_id, category`);
  for (const category of new Set(aggregates.map((a) => a.category))) {
    const ids = aggregates.filter((a) => a.category === category).map((a) => a.org_id);
    stored.set(category, await storedItems(tx, category, ids, input.orphanTotals));
  }
  return { aggregates, stored };
}
