import type { Db } from "../db";
import type { RetentionCategory } from "../generated/prisma/enums";
import { rowCategories } from "./category-lookup";
import { sql, type Sql } from "./sql";

export type StoredTotals = {
  orgId: number;
  category: RetentionCategory;
  items: bigint;
  bytes: bigint;
};

/**
 * What is stored now, per org × category: one aggregate per category, as
 * (org_id, category, items, bytes). Orphan objects are not rows; the purge
 * that lists the bucket counts them.
 */
function inventory(orgIds: number[] | null): Sql {
  return rowCategories()
    .map(
      (c) =>
        sql`SELECT inv.org_id, ${c.key}::text AS category, inv.items, inv.bytes FROM (${c.inventory(orgIds)}) inv`,
    )
    .reduce((acc, part) => sql`${acc} UNION ALL ${part}`);
}

export async function storedNow(db: Db, orgIds: number[] | null): Promise<StoredTotals[]> {
  const rows = await db.$queryRaw<
    { org_id: number; category: string; items: bigint; bytes: bigint }[]
  >(inventory(orgIds));
  return rows.map((r) => ({
    orgId: r.org_id,
    category: r.category as RetentionCategory,
    items: BigInt(r.items),
    bytes: BigInt(r.bytes),
  }));
}

/** Records the day's stored totals for these orgs (all when null), replacing that day's earlier snapshot. */
export async function takeSnapshot(db: Db, day: Date, orgIds: number[] | null): Promise<number> {
  const dayText = day.toISOString().slice(0, 10);
  const scope = orgIds ? sql`AND org_id = ANY(${orgIds}::int[])` : sql``;
  // A fleet-wide snapshot aggregates every governed table: seconds at scale,
  // past the 5 s default of a transaction.
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw(
        sql`DELETE FROM storage_snapshots WHERE day = ${dayText}::date ${scope}`,
      );
      return tx.$executeRaw(sql`
        INSERT INTO storage_snapshots (day, org_id, plan, category, items, bytes)
        SELECT ${dayText}::date, inv.org_id, o.plan, inv.category::"RetentionCategory", inv.items, inv.bytes
        FROM (${inventory(orgIds)}) inv
        JOIN organizations o ON o.id = inv.org_id`);
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
}
