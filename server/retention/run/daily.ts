import pg from "pg";
import { poolConfigFromUrl } from "../../db-config";
import type { DrainReport } from "./worker";
import { drain } from "./worker";
import type { Engine } from "../deps";
import { AppError } from "../../errors";
import { createPlanning } from "../plan/planning";
import { planningProgress, type PlanningProgress } from "../plan/planning-progress";
import { resolveRequest } from "../plan/request";
import { confirmDaily } from "../plan/step-runner";
import type { CleanupReport } from "../plan/preview-cleanup";
import { runProgress, type RunProgress } from "./progress";
import type { FinalDeletion } from "../restore/final-deletion";
import type { SendReport } from "../notices/deliver";
import type { ExportExpiry } from "../exports/expire";
import {
  cleanUpWithin,
  dailyNoticeWithin,
  exportBuildsWithin,
  exportExpiryWithin,
  finalDeletionWithin,
  sendNoticesWithin,
  type DailyNotice,
  type Failed,
} from "./side-jobs";
import { isoDay } from "../../calendar-day";

/** The daily purge is scheduled at 04:00 UTC (vercel.json: "0 4 * * *"). */
export const SCHEDULE_HOUR_UTC = 4;

/** The day an invocation belongs to: that of the latest 04:00 UTC at or before `now`. */
export function scheduledDay(now: Date): string {
  const shifted = new Date(now.getTime() - SCHEDULE_HOUR_UTC * 3_600_000);
  return isoDay(shifted);
}

/** When the next scheduled run starts. */
export function nextScheduledRun(now: Date): Date {
  const next = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), SCHEDULE_HOUR_UTC),
  );
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

/**
 * Runs `fn` holding a Postgres advisory lock on `key`, taken on a connection
 * of its own: waiting never ties up the pool the work itself needs, and a
 * holder that dies releases the lock with its connection.
 */
async function withSessionLock<T>(
  databaseUrl: string,
  key: string,
  fn: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    ...poolConfigFromUrl(databaseUrl),
    application_name: "lethe-schedule-lock",
  });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [key]);
    return await fn();
  } finally {
    await client.end();
  }
}

/** The day's run, or its plan while it is planned. */
type Day = { runId: string | null; planId: string };

/**
 * The day's run if it started, else its plan: one still planning, or one
 * planned that the schedule now confirms (a delivery died between the two).
 * A plan that expired unconfirmed gives its day's key back, to plan again.
 */
async function findDay(engine: Engine, runKey: string): Promise<Day | null> {
  const run = await engine.db.purgeRun.findUnique({
    where: { runKey },
    select: { id: true, planId: true },
  });
  if (run) return { runId: run.id, planId: run.planId };
  const plan = await engine.db.purgePlan.findUnique({
    where: { planKey: runKey },
    select: { id: true, status: true },
  });
  if (!plan) return null;
  if (plan.status === "PLANNING") return { runId: null, planId: plan.id };
  try {
    return { runId: (await confirmDaily(engine, plan.id, runKey)).runId, planId: plan.id };
  } catch (error) {
    if (!(error instanceof AppError && error.code === "PLAN_EXPIRED")) throw error;
    await engine.db.purgePlan.update({ where: { id: plan.id }, data: { planKey: null } });
    return null;
  }
}

/**
 * Finds the day's run or plan, or starts planning it: the fleet's plan in
 * PLANNING, keyed by the run key, with the storage snapshot among its steps
 * (creating it does no work that grows with the fleet's items). Concurrent
 * deliveries queue on a lock of the run key, so only the first creates it;
 * the others then see it and join.
 */
async function createOrJoin(engine: Engine, runKey: string): Promise<Day & { joined: boolean }> {
  const existing = await findDay(engine, runKey);
  if (existing) return { ...existing, joined: true };
  return withSessionLock(engine.databaseUrl, `schedule:${runKey}`, async () => {
    const raced = await findDay(engine, runKey);
    if (raced) return { ...raced, joined: true };
    const request = {
      scope: { orgIds: null, categories: null },
      trigger: "CRON",
      actor: "system",
    } as const;
    const planId = await createPlanning(engine, request, await resolveRequest(engine, request), {
      runKey,
      snapshotDay: isoDay(engine.now()),
    });
    return { runId: null, planId, joined: false };
  });
}

export type DailyPurgeResult = {
  day: string;
  joined: boolean;
  /** The day's run, once its plan is planned and confirmed. */
  progress: RunProgress | null;
  /** The day's plan while it is planned. */
  planning: PlanningProgress | null;
  worked: DrainReport;
  /** What this delivery cleaned of expired and discarded previews, or why it could not. */
  cleanup: CleanupReport | Failed;
  /** What this delivery finally deleted of items past their restore window, or why it could not. */
  finalDeletion: FinalDeletion | Failed | null;
  /** The day's notices this delivery wrote and sent, or why it could not; null without notice channels. */
  notices: DailyNotice | Failed | null;
  /** Notice deliveries sent with the time left after the purge work. */
  noticesAfter: SendReport | Failed | null;
  /** What this delivery deleted of exports past their expiry, or why it could not. */
  exportExpiry: ExportExpiry | Failed;
  /** Exports this delivery built with the time its purge work left, or why it could not. */
  exportsBuilt: number | Failed;
};

/**
 * One cron delivery (its side jobs in side-jobs.ts, whose failures never
 * stop the day's purge): clean up expired previews and exports, write and
 * send the day's notices (before the day's plan, so that it keeps what their
 * exports must still hold), create or join the
 * scheduled day's plan or run, finally delete what left its restore
 * window (once the day's run started),
 * work its planning steps and then its tasks
 * until `deadline` (one step or batch at a time, none started that could
 * outrun it), build queued exports with the time left, report progress.
 * When the last planning step is done the
 * schedule confirms the plan as the day's run, and the work goes on. A day
 * that needs longer is finished by later deliveries (or `npm run worker`),
 * whatever order they come in.
 */
export async function runDailyPurge(engine: Engine, deadline: number): Promise<DailyPurgeResult> {
  const day = scheduledDay(engine.now());
  const runKey = `daily:${day}`;
  const cleanup = await cleanUpWithin(engine, deadline);
  const exportExpiry = await exportExpiryWithin(engine, deadline);
  const notices = engine.notices ? await dailyNoticeWithin(engine, day, deadline) : null;
  const { runId, planId, joined } = await createOrJoin(engine, runKey);
  engine.log.child({ runId, planId }).info({ day, joined }, "daily run delivery");
  const finalDeletion = runId ? await finalDeletionWithin(engine, runId, deadline) : null;
  const worked = await drain(engine, deadline);
  const noticesAfter = engine.notices ? await sendNoticesWithin(engine, deadline) : null;
  const exportsBuilt = await exportBuildsWithin(engine, deadline);
  const now = (await findDay(engine, runKey)) ?? { runId, planId };
  const progress = now.runId ? await runProgress(engine.db, now.runId) : null;
  const planning = progress ? null : await planningProgress(engine.db, now.planId);
  engine.log.child({ runId: now.runId, planId: now.planId }).info(
    {
      day,
      status: progress?.status ?? planning?.status,
      fraction: progress?.fraction,
      steps: planning ? `${planning.stepsDone}/${planning.stepsTotal}` : undefined,
      ...worked,
    },
    "daily run worked",
  );
  return {
    day,
    joined,
    progress,
    planning,
    worked,
    cleanup,
    finalDeletion,
    notices,
    noticesAfter,
    exportExpiry,
    exportsBuilt,
  };
}
