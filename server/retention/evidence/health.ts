import type { Db } from "../../db";
import { planningProgress } from "../plan/planning-progress";
import { sql } from "../sql";

/** The daily purge is late this long after its last success. */
const LATE_AFTER_MS = 25 * 3_600_000;

/**
 * Health: the database answers, when the daily purge last succeeded, and
 * whether the day's plan is being planned.
 * It is stale 25 hours after that success; on a deployment where it never
 * succeeded, 25 hours after the first migration, so a new install is not
 * reported late before its first 04:00 run was due.
 */
export async function retentionHealth(db: Db, now: Date) {
  let database = "ok";
  try {
    await db.$queryRaw(sql`SELECT 1`);
  } catch {
    database = "unreachable";
  }
  if (database !== "ok")
    return { database, lastSuccess: null, lastRun: null, planning: null, stale: true };
  const lastSuccess = await db.purgeRun.findFirst({
    where: { trigger: "CRON", status: "SUCCEEDED" },
    orderBy: { finishedAt: "desc" },
    select: { id: true, finishedAt: true, deleted: true, bytesFreed: true },
  });
  const lastRun = await db.purgeRun.findFirst({
    where: { trigger: "CRON" },
    orderBy: { startedAt: "desc" },
    select: { id: true, status: true, startedAt: true, finishedAt: true },
  });
  const since = lastSuccess?.finishedAt ?? (await deployedAt(db));
  const stale = !since || now.getTime() - since.getTime() > LATE_AFTER_MS;
  return { database, lastSuccess, lastRun, planning: await dailyPlanning(db), stale };
}

/**
 * The daily run's plan while its planning steps are worked (its run starts
 * when they are done): the day is being planned, not missing. Still late by
 * the same rule if no run succeeds in time.
 */
export async function dailyPlanning(db: Db) {
  const [plan] = await db.$queryRaw<{ id: string; plan_key: string }[]>(sql`
    SELECT id, plan_key FROM purge_plans
    WHERE trigger = 'CRON' AND status = 'PLANNING'
    ORDER BY created_at DESC LIMIT 1`);
  const progress = plan ? await planningProgress(db, plan.id) : null;
  return plan && progress
    ? {
        planId: plan.id,
        runKey: plan.plan_key,
        startedAt: progress.startedAt,
        stepsDone: progress.stepsDone,
        stepsTotal: progress.stepsTotal,
      }
    : null;
}

/** When this deployment's schema was first migrated: the day Lethe started governing it. */
async function deployedAt(db: Db) {
  const [row] = await db.$queryRaw<{ at: Date | null }[]>(
    sql`SELECT min(finished_at) AS at FROM _prisma_migrations`,
  );
  return row?.at ?? null;
}
