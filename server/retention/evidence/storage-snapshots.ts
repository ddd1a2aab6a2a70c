import type { Db } from "../../db";
import type { RetentionCategory } from "../../generated/prisma/enums";
import { rowCategories } from "../categories";
import { sql, type Sql, type Tx } from "../sql";
import { isoDay } from "../../calendar-day";

export type StoredTotals = {
  orgId: number;
  category: RetentionCategory;
  items: bigint;
  bytes: bigint;
};

/** The stored totals a snapshot takes again: these orgs × these categories (null: all of them). */
export type StoredChange = { orgIds: number[]; categories: RetentionCategory[] };

/** The row categories a snapshot of `change` inventories. */
const inventoried = (change: StoredChange | null) =>
  rowCategories().filter((c) => !change || change.categories.includes(c.key));

/**
 * What is stored now, per org × category: one aggregate per category, as
 * (org_id, category, items, bytes). Orphan objects are not rows; the purge
 * that lists the bucket counts them.
 */
function inventory(change: StoredChange | null): Sql {
  const orgIds = change?.orgIds ?? null;
  return inventoried(change)
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
 * The first snapshot of a day that covers only some orgs or categories (a
 * manual purge before the daily run) starts from the others' latest
 * figures: the latest day is then always the whole fleet, which is what
 * readers of it assume.
 */
async function carryForward(tx: Tx, dayText: string, change: StoredChange) {
  await tx.$executeRaw(sql`
    INSERT INTO storage_snapshots (day, org_id, plan, category, items, bytes)
    SELECT ${dayText}::date, s.org_id, s.plan, s.category, s.items, s.bytes
    FROM storage_snapshots s
    WHERE s.day = (SELECT max(day) FROM storage_snapshots WHERE day < ${dayText}::date)
      AND NOT (s.org_id = ANY(${change.orgIds}::int[])
               AND s.category = ANY(${change.categories}::"RetentionCategory"[]))
      AND NOT EXISTS (SELECT 1 FROM storage_snapshots t WHERE t.day = ${dayText}::date)`);
}

/**
 * Records the day's stored totals of `change` (the whole fleet when null),
 * replacing that day's earlier figures for them. A run that purged one
 * category inventories that category only: the others did not change.
 */
export async function takeSnapshot(
  db: Db,
  day: Date,
  change: StoredChange | null,
): Promise<number> {
  // A fleet-wide snapshot aggregates every governed table: seconds at scale,
  // past the 5 s default of a transaction.
  return db.$transaction((tx) => writeSnapshot(tx, day, change), {
    timeout: 10 * 60_000,
    maxWait: 30_000,
  });
}

/**
 * takeSnapshot inside the caller's transaction: the daily plan's planning
 * steps take the day's snapshot a category × range of orgs at a time.
 */
export async function writeSnapshot(tx: Tx, day: Date, change: StoredChange | null) {
  if (change && (change.orgIds.length === 0 || inventoried(change).length === 0)) return 0;
  const dayText = isoDay(day);
  const scope = change
    ? sql`AND org_id = ANY(${change.orgIds}::int[]) AND category = ANY(${change.categories}::"RetentionCategory"[])`
    : sql``;
  // Carried forward first: whether the day has figures yet is asked before its
  // figures of `change` go (they may be all it has: one org's only category).
  if (change) await carryForward(tx, dayText, change);
  await tx.$executeRaw(sql`DELETE FROM storage_snapshots WHERE day = ${dayText}::date ${scope}`);
  return tx.$executeRaw(sql`
    INSERT INTO storage_snapshots (day, org_id, plan, category, items, bytes)
    SELECT ${dayText}::date, inv.org_id, o.plan, inv.category::"RetentionCategory", inv.items, inv.bytes
    FROM (${inventory(change)}) inv
    JOIN organizations o ON o.id = inv.org_id`);
}
