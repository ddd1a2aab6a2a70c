import pg from "pg";
import { poolConfigFromUrl } from "../../db-config";
import type { DrainReport } from "./worker";
import { drain } from "./worker";
import type { Engine } from "../deps";
import { takeSnapshot } from "../evidence/storage-snapshots";
import { confirmPlan } from "../plan/confirm";
import type { Guardrails } from "../plan/entries";
import { previewPurge } from "../plan/preview";
import { cleanUpPreviews, type CleanupReport } from "../plan/preview-cleanup";
import { runProgress, type RunProgress } from "./progress";

/** The daily purge is scheduled at 04:00 UTC (vercel.json: "0 4 * * *"). */
export const SCHEDULE_HOUR_UTC = 4;

/** The day an invocation belongs to: that of the latest 04:00 UTC at or before `now`. */
export function scheduledDay(now: Date): string {
  const shifted = new Date(now.getTime() - SCHEDULE_HOUR_UTC * 3_600_000);
  return shifted.toISOString().slice(0, 10);
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

/**
 * Creates the day's run, or finds it. Concurrent deliveries queue on a lock
 * of the run key, so only the first plans the fleet; the others then see
 * its run and join it.
 */
async function createOrJoin(
  engine: Engine,
  runKey: string,
): Promise<{ runId: string; joined: boolean }> {
  const find = () => engine.db.purgeRun.findUnique({ where: { runKey }, select: { id: true } });
  const existing = await find();
  if (existing) return { runId: existing.id, joined: true };
  return withSessionLock(engine.databaseUrl, `schedule:${runKey}`, async () => {
    const raced = await find();
    if (raced) return { runId: raced.id, joined: true };
    await takeSnapshot(engine.db, engine.now(), null);
    const planId = await previewPurge(engine, {
      scope: { orgIds: null, categories: null },
      trigger: "CRON",
      actor: "system",
    });
    const plan = await engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
    // The schedule is the second confirmation of its own fleet-wide plan.
    const phrase = (plan.guardrails as unknown as Guardrails).confirmPhrase;
    const { runId } = await confirmPlan(engine, {
      planId,
      actor: "system",
      acknowledgement: phrase,
      runKey,
    });
    return { runId, joined: false };
  });
}

export type DailyPurgeResult = {
  day: string;
  joined: boolean;
  progress: RunProgress;
  worked: DrainReport;
  /** What this delivery cleaned of expired and discarded previews, or why it could not. */
  cleanup: CleanupReport | { error: string };
};

/**
 * Removes expired previews' manifests for up to a quarter of the delivery's
 * time (later deliveries finish the rest); a failure here is reported and
 * never stops the day's purge.
 */
async function cleanUpWithin(engine: Engine, deadline: number) {
  try {
    return await cleanUpPreviews(engine, { deadline: Date.now() + (deadline - Date.now()) / 4 });
  } catch (error) {
    engine.log.error({ err: error }, "preview cleanup failed");
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * One cron delivery: clean up expired previews, create or join the
 * scheduled day's run, work its tasks until `deadline`, report progress. A
 * run that needs longer is finished by later deliveries (or `npm run
 * worker`), whatever order they come in.
 */
export async function runDailyPurge(engine: Engine, deadline: number): Promise<DailyPurgeResult> {
  const day = scheduledDay(engine.now());
  const cleanup = await cleanUpWithin(engine, deadline);
  const { runId, joined } = await createOrJoin(engine, `daily:${day}`);
  const log = engine.log.child({ runId });
  log.info({ day, joined }, "daily run delivery");
  const worked = await drain(engine, deadline);
  const progress = await runProgress(engine.db, runId);
  if (!progress) throw new Error(`Run ${runId} vanished`);
  log.info(
    { day, status: progress.status, fraction: progress.fraction, ...worked },
    "daily run worked",
  );
  return { day, joined, progress, worked, cleanup };
}
