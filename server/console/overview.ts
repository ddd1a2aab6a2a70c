import type { Db } from "../db";
import { ARCHIVING_CATEGORIES } from "../retention/categories/actions";
import { countAwaitingReview } from "../retention/guard/review";
import type { Plan, RetentionCategory } from "../generated/prisma/enums";
import { retentionHealth } from "../retention/evidence/health";
import { nextScheduledRun } from "../retention/run/daily";
import { sql } from "../retention/sql";
import { actorLabels, purgeActor } from "../retention/evidence/actor-label";

export type StorageOverview = {
  /** The day of the snapshot the totals come from; null before the first one. */
  day: Date | null;
  orgs: { plan: Plan; count: number }[];
  byCategory: { category: RetentionCategory; items: bigint; bytes: bigint }[];
  byPlan: { plan: Plan; items: bigint; bytes: bigint }[];
  totalBytes: bigint;
  totalItems: bigint;
};

/**
 * Stored totals from the latest daily snapshot (each purge run refreshes
 * the snapshot of the orgs it touched), so the Overview reads one small
 * indexed slice instead of aggregating every governed table.
 */
export async function storageOverview(db: Db): Promise<StorageOverview> {
  const [latest] = await db.$queryRaw<{ day: Date | null }[]>(
    sql`SELECT max(day) AS day FROM storage_snapshots`,
  );
  const day = latest?.day ?? null;
  const orgs = await db.$queryRaw<{ plan: Plan; count: number }[]>(sql`
    SELECT plan, count(*)::int AS count FROM organizations GROUP BY plan ORDER BY plan`);
  if (!day) return { day, orgs, byCategory: [], byPlan: [], totalBytes: 0n, totalItems: 0n };
  const byCategory = await db.$queryRaw<
    { category: RetentionCategory; items: bigint; bytes: bigint }[]
  >(sql`
    SELECT category, sum(items)::bigint AS items, sum(bytes)::bigint AS bytes
    FROM storage_snapshots WHERE day = ${day} GROUP BY category ORDER BY category`);
  const byPlan = await db.$queryRaw<{ plan: Plan; items: bigint; bytes: bigint }[]>(sql`
    SELECT plan, sum(items)::bigint AS items, sum(bytes)::bigint AS bytes
    FROM storage_snapshots WHERE day = ${day} GROUP BY plan ORDER BY plan`);
  return {
    day,
    orgs,
    byCategory,
    byPlan,
    totalBytes: byCategory.reduce((sum, c) => sum + BigInt(c.bytes), 0n),
    totalItems: byCategory.reduce((sum, c) => sum + BigInt(c.items), 0n),
  };
}

/** The daily purge's health: last run, last success, next run, bytes freed lately, staleness. */
export async function purgeStatus(db: Db, now: Date) {
  const health = await retentionHealth(db, now);
  const lastRun = await db.purgeRun.findFirst({ orderBy: { startedAt: "desc" } });
  const startedBy =
    lastRun &&
    purgeActor({
      trigger: lastRun.trigger,
      userId: lastRun.startedById,
      tokenId: lastRun.startedByTokenId,
    });
  const label = await actorLabels(db, startedBy ? [startedBy] : []);
  // Its counter counts archived items with deleted ones, as the run's tasks do. Compared as
  // the enum, the category is a condition of the (run, org, category) index, not a filter
  // on each of the run's task rows (2 ms for a daily run of the 1× dataset).
  const [archived] = lastRun
    ? await db.$queryRaw<{ items: bigint }[]>(sql`
        SELECT coalesce(sum(deleted), 0)::bigint AS items FROM purge_tasks
        WHERE run_id = ${lastRun.id} AND category = ANY(${ARCHIVING_CATEGORIES}::"RetentionCategory"[])`)
    : [];
  const [freed] = await db.$queryRaw<{ bytes: bigint; items: bigint }[]>(sql`
    SELECT coalesce(sum(bytes_freed + finally_freed), 0)::bigint AS bytes, coalesce(sum(deleted), 0)::bigint AS items
    FROM purge_runs WHERE finished_at > now() - interval '30 days'`);
  return {
    stale: health.stale,
    lastSuccess: health.lastSuccess,
    lastRun: lastRun && {
      id: lastRun.id,
      trigger: lastRun.trigger,
      startedBy: label(startedBy ?? { kind: "system" }),
      status: lastRun.status,
      startedAt: lastRun.startedAt,
      finishedAt: lastRun.finishedAt,
      deleted: lastRun.deleted - (archived?.items ?? 0n),
      archived: archived?.items ?? 0n,
      bytesFreed: lastRun.bytesFreed,
    },
    planning: health.planning,
    nextRun: nextScheduledRun(now),
    awaitingReview: await countAwaitingReview(db),
    freedLast30Days: { bytes: BigInt(freed?.bytes ?? 0n), items: BigInt(freed?.items ?? 0n) },
  };
}
