import type { Db } from "../db";
import type { RetentionCategory } from "../generated/prisma/enums";
import { rowCategories } from "./category-lookup";
import { sql, type Sql, type Tx } from "./sql";

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

/**
 * What these orgs stored at the latest daily snapshot, per category: the
 * figures the Overview's totals are made of, read from one indexed slice
 * instead of aggregating every governed table for each org.
 */
export async function snapshotTotals(db: Db, orgIds: number[]): Promise<StoredTotals[]> {
  const rows = await db.$queryRaw<
    { org_id: number; category: RetentionCategory; items: bigint; bytes: bigint }[]
  >(sql`
    SELECT org_id, category, items, bytes FROM storage_snapshots
    WHERE day = (SELECT max(day) FROM storage_snapshots) AND org_id = ANY(${orgIds}::int[])`);
  return rows.map((r) => ({
    orgId: r.org_id,
    category: r.category,
    items: BigInt(r.items),
    bytes: BigInt(r.bytes),
  }));
}

/**
 * The first snapshot of a day that covers only some orgs (a manual purge
 * before the daily run) starts from the others' latest figures: the latest
 * day is then always the whole fleet, which is what readers of it assume.
 */
async function carryForward(tx: Tx, dayText: string, orgIds: number[]) {
  await tx.$executeRaw(sql`
    INSERT INTO storage_snapshots (day, org_id, plan, category, items, bytes)
    SELECT ${dayText}::date, s.org_id, s.plan, s.category, s.items, s.bytes
    FROM storage_snapshots s
    WHERE s.day = (SELECT max(day) FROM storage_snapshots WHERE day < ${dayText}::date)
      AND s.org_id <> ALL(${orgIds}::int[])
      AND NOT EXISTS (SELECT 1 FROM storage_snapshots t WHERE t.day = ${dayText}::date)`);
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
      if (orgIds) await carryForward(tx, dayText, orgIds);
      return tx.$executeRaw(sql`
        INSERT INTO storage_snapshots (day, org_id, plan, category, items, bytes)
        SELECT ${dayText}::date, inv.org_id, o.plan, inv.category::"RetentionCategory", inv.items, inv.bytes
        FROM (${inventory(orgIds)}) inv
        JOIN organizations o ON o.id = inv.org_id`);
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
}
