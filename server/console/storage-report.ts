import { isoDay } from "../calendar-day";
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
      day: isoDay(r.day),
      category: r.category,
      bytes: BigInt(r.bytes),
      items: BigInt(r.items),
    })),
    byPlan: byPlan.map((r) => ({
      day: isoDay(r.day),
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

const DAY_MS = 86_400_000;

/**
 * The bytes purges and restores moved out of and back into the governed
 * tables in runs started on the days (from, to], the snapshots' span: what
 * a run deleted (its bytes freed, less orphan objects': the snapshots count
 * rows only), and what it purged into a restore window (still kept,
 * restored later, or finally deleted since).
 */
async function purgedAndRestored(db: Db, from: string, to: string) {
  const [row] = await db.$queryRaw<{ purged: bigint; restored: bigint }[]>(sql`
    WITH runs AS (
      SELECT id, bytes_freed FROM purge_runs
      WHERE started_at >= ${from}::date + 1 AND started_at < ${to}::date + 1)
    SELECT (
      (SELECT coalesce(sum(bytes_freed), 0) FROM runs)
      - (SELECT coalesce(sum(t.bytes_freed), 0) FROM purge_tasks t
          WHERE t.run_id IN (SELECT id FROM runs) AND t.category = 'ORPHAN_OBJECTS')
      + (SELECT coalesce(sum(k.bytes), 0) FROM kept_items k
          WHERE k.run_id IN (SELECT id FROM runs) AND k.category <> 'ORPHAN_OBJECTS')
      + (SELECT coalesce(sum(w.bytes), 0) FROM window_batches w
          WHERE w.final_run_id IS NOT NULL AND w.kept_by_run_id IN (SELECT id FROM runs)
            AND w.category <> 'ORPHAN_OBJECTS')
      )::bigint AS purged,
      (SELECT coalesce(sum(w.bytes), 0) FROM window_batches w
        WHERE w.restore_id IS NOT NULL AND w.category <> 'ORPHAN_OBJECTS'
          AND w.created_at >= ${from}::date + 1 AND w.created_at < ${to}::date + 1)::bigint AS restored`);
  return { purged: Number(row?.purged ?? 0n), restored: Number(row?.restored ?? 0n) };
}

/**
 * New data a day over the last 30 days' snapshots: the change in stored
 * bytes plus what purges took out, less what restores put back. The change
 * alone is net of purges, so right after one it reads as no growth at all,
 * and the projection would then take the due purges off twice.
 */
async function newDataPerDay(db: Db, now: Date) {
  const since = isoDay(now.getTime() - 30 * DAY_MS);
  const [span] = await db.$queryRaw<{ from: Date | null; to: Date | null }[]>(sql`
    SELECT min(day) FILTER (WHERE day >= ${since}::date) AS from, max(day) AS to FROM storage_snapshots`);
  const [from, to] = [span?.from, span?.to].map((d) => d && isoDay(d));
  if (!to) return { current: 0, perDay: 0 };
  const totals = await db.$queryRaw<{ day: Date; bytes: bigint }[]>(sql`
    SELECT day, sum(bytes)::bigint AS bytes FROM storage_snapshots
    WHERE day IN (${from ?? to}::date, ${to}::date) GROUP BY day`);
  const at = (day: string) => Number(totals.find((t) => isoDay(t.day) === day)?.bytes ?? 0n);
  const current = at(to);
  if (!from || from === to) return { current, perDay: 0 };
  const { purged, restored } = await purgedAndRestored(db, from, to);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  return { current, perDay: Math.max(0, (current - at(from) + purged - restored) / days) };
}

/**
 * Stored bytes over the next 90 days under current policies: today's total,
 * plus the recent new data a day, minus what the forecast says falls due each day.
 */
export async function storageProjection(
  db: Db,
  settings: EngineSettings,
  now: Date,
  background: Background,
) {
  const { current, perDay } = await newDataPerDay(db, now);
  const forecast = await currentForecast(db, settings, now, background);
  const due = await forecastByDay(db, forecast, { horizonDays: 90 }, now);
  const dueByDay = new Map<string, number>();
  for (const d of due) dueByDay.set(d.day, (dueByDay.get(d.day) ?? 0) + Number(d.bytes));
  const points: { day: string; bytes: number; freed: number }[] = [];
  let stored = current;
  for (let i = 0; i <= 90; i++) {
    const day = isoDay(now.getTime() + i * DAY_MS);
    const freed = dueByDay.get(day) ?? 0;
    stored = Math.max(0, stored + (i === 0 ? 0 : perDay) - freed);
    points.push({ day, bytes: Math.round(stored), freed });
  }
  return { current, growthPerDay: Math.round(perDay), points };
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
