import type { Db } from "../db";
import type { Plan, RetentionCategory } from "../generated/prisma/enums";
import type { EngineSettings } from "../retention/deps";
import { forecastByDay } from "../retention/forecast/upcoming";
import { currentForecast, type Background } from "../retention/forecast/snapshot";
import { sql } from "../retention/sql";

/** Stored bytes per day from the daily snapshots, by category and by plan. */
export async function storageHistory(db: Db, days: number) {
  const byCategory = await db.$queryRaw<
    { day: Date; category: RetentionCategory; bytes: bigint; items: bigint }[]
  >(sql`
    SELECT day, category, sum(bytes)::bigint AS bytes, sum(items)::bigint AS items FROM storage_snapshots
    WHERE day > current_date - ${days}::int GROUP BY day, category ORDER BY day, category`);
  const byPlan = await db.$queryRaw<{ day: Date; plan: Plan; bytes: bigint }[]>(sql`
    SELECT day, plan, sum(bytes)::bigint AS bytes FROM storage_snapshots
    WHERE day > current_date - ${days}::int GROUP BY day, plan ORDER BY day, plan`);
  return {
    byCategory: byCategory.map((r) => ({
      day: r.day.toISOString().slice(0, 10),
      category: r.category,
      bytes: BigInt(r.bytes),
      items: BigInt(r.items),
    })),
    byPlan: byPlan.map((r) => ({
      day: r.day.toISOString().slice(0, 10),
      plan: r.plan,
      bytes: BigInt(r.bytes),
    })),
  };
}

/** Bytes freed by each of the latest runs. */
export async function freedByRun(db: Db, limit: number) {
  const runs = await db.purgeRun.findMany({
    where: { status: { not: "RUNNING" } },
    orderBy: { startedAt: "desc" },
    take: limit,
    select: {
      id: true,
      startedAt: true,
      trigger: true,
      status: true,
      bytesFreed: true,
      deleted: true,
    },
  });
  return runs.reverse();
}

/**
 * Stored bytes over the next 90 days under current policies: today's total,
 * plus the recent daily growth, minus what the forecast says falls due each day.
 */
export async function storageProjection(
  db: Db,
  settings: EngineSettings,
  now: Date,
  background: Background,
) {
  const [latest] = await db.$queryRaw<{ day: Date | null; bytes: bigint | null }[]>(sql`
    SELECT day, sum(bytes)::bigint AS bytes FROM storage_snapshots
    WHERE day = (SELECT max(day) FROM storage_snapshots) GROUP BY day`);
  const [earlier] = await db.$queryRaw<{ day: Date | null; bytes: bigint | null }[]>(sql`
    SELECT day, sum(bytes)::bigint AS bytes FROM storage_snapshots
    WHERE day = (SELECT min(day) FROM storage_snapshots WHERE day >= current_date - 30) GROUP BY day`);
  const current = Number(latest?.bytes ?? 0n);
  const spanDays =
    latest?.day && earlier?.day
      ? Math.max(1, (latest.day.getTime() - earlier.day.getTime()) / 86_400_000)
      : 1;
  const growthPerDay =
    earlier?.bytes != null ? Math.max(0, (current - Number(earlier.bytes)) / spanDays) : 0;
  const forecast = await currentForecast(db, settings, now, background);
  const due = await forecastByDay(db, forecast, { horizonDays: 90 }, now);
  const dueByDay = new Map<string, number>();
  for (const d of due) dueByDay.set(d.day, (dueByDay.get(d.day) ?? 0) + Number(d.bytes));
  const points: { day: string; bytes: number; freed: number }[] = [];
  let stored = current;
  for (let i = 0; i <= 90; i++) {
    const day = new Date(now.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const freed = dueByDay.get(day) ?? 0;
    stored = Math.max(0, stored + (i === 0 ? 0 : growthPerDay) - freed);
    points.push({ day, bytes: Math.round(stored), freed });
  }
  return { current, growthPerDay: Math.round(growthPerDay), points };
}

/**
 * Purged items still in their restore window, per category: gone from the
 * live tables (so not in the stored bytes of the snapshots) but their
 * objects and rows kept until the final deletion, which comes after the
 * window (`nextFinalDeletion`: the earliest window's end; a hold can keep
 * an item longer).
 */
export async function awaitingFinalDeletion(db: Db) {
  const byCategory = await db.keptItem.groupBy({
    by: ["category"],
    where: { restoredAt: null },
    _count: true,
    _sum: { bytes: true },
    _min: { restorableUntil: true },
    orderBy: { category: "asc" },
  });
  const rows = byCategory.map((r) => ({
    category: r.category,
    items: r._count,
    bytes: r._sum.bytes ?? 0n,
    nextFinalDeletion: r._min.restorableUntil,
  }));
  return {
    items: rows.reduce((sum, r) => sum + r.items, 0),
    bytes: rows.reduce((sum, r) => sum + r.bytes, 0n),
    byCategory: rows,
  };
}
