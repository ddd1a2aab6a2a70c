import { randomBytes } from "node:crypto";
import os from "node:os";
import { db } from "./db";
import { env, type Env } from "./env";
import { evidenceSigningKey } from "./evidence-key";
import { appLog } from "./log";
import { drain } from "./retention/run/worker";
import { DEFAULT_SETTINGS, type Engine, type EngineSettings } from "./retention/deps";
import { policyEnv } from "./retention/policy/effective-window";
import { cleanUpPreviews } from "./retention/plan/preview-cleanup";
import { startPurgeQueue } from "./retention/run/queue";
import { exportLinkKey } from "./retention/exports/link";
import { createObjectStore, type ObjectStore } from "./storage";
import { noticeSecretKey } from "./notice-key";
import { NOTICE_DEFAULTS, type NoticeChannels } from "./retention/notices/channels";

/**
 * How this deployment tells tenants: emails over SMTP_URL, else logged
 * (development) or not sent at all (production: each email delivery fails
 * saying SMTP_URL is not set, so the log shows it rather than a silent drop).
 */
export function noticeChannelsFromEnv(e: Env): NoticeChannels {
  return {
    secretKey: () => noticeSecretKey(e),
    allowHttp: e.NODE_ENV === "test" || e.NOTICE_ALLOW_HTTP,
    allowPrivateAddresses: e.NODE_ENV === "test" || e.NOTICE_ALLOW_PRIVATE_ADDRESSES,
    email: e.SMTP_URL ? { smtpUrl: e.SMTP_URL } : e.NODE_ENV === "production" ? "none" : "log",
    from: e.NOTICE_FROM,
    ...NOTICE_DEFAULTS,
  };
}

export function settingsFromEnv(e: Env): EngineSettings {
  return {
    policy: policyEnv(e),
    batchSize: e.PURGE_BATCH_SIZE,
    batchTargetMs: e.PURGE_BATCH_TARGET_MS,
    sweepItems: DEFAULT_SETTINGS.sweepItems,
    planStepOrgs: DEFAULT_SETTINGS.planStepOrgs,
    planStepItems: DEFAULT_SETTINGS.planStepItems,
    guardrailShare: e.PURGE_GUARDRAIL_SHARE,
    guardFactor: e.GUARD_FACTOR,
    guardFloor: e.GUARD_FLOOR,
    planTtlMinutes: e.PLAN_TTL_MINUTES,
    maxOpenPreviewsPerUser: e.PLAN_MAX_OPEN_PER_USER,
    maxOpenPreviews: e.PLAN_MAX_OPEN,
    leaseSeconds: e.PURGE_LEASE_SECONDS,
    maxTaskAttempts: e.PURGE_MAX_TASK_ATTEMPTS,
  };
}

/**
 * Starts working the queue right after a purge is confirmed, for as long as
 * a request may live (80% of CRON_MAX_DURATION_SECONDS); whatever remains
 * is finished by the next cron delivery or `npm run worker`.
 */
export async function workQueueNow(engine: Engine) {
  await drain(engine, Date.now() + env().CRON_MAX_DURATION_SECONDS * 800);
}

const globalForWork = globalThis as unknown as { letheWorking?: boolean };

/**
 * Works the queue after a response unless this process already does: a
 * dry run planned in the background goes on from whichever request comes
 * (its own, then each poll of its progress), so a request cut short by the
 * platform only delays it, while polls every second never pile up drains.
 * Other processes share the work through the steps' leases.
 */
export async function keepWorkingQueue(engine: Engine) {
  if (globalForWork.letheWorking) return;
  globalForWork.letheWorking = true;
  try {
    await workQueueNow(engine);
  } finally {
    globalForWork.letheWorking = false;
  }
}

/** After a new preview: a few seconds of cleaning up expired ones; the daily run does the rest. */
export async function cleanUpPreviewsNow(engine: Engine) {
  await cleanUpPreviews(engine, { deadline: Date.now() + 5_000 });
}

const globalForEngine = globalThis as unknown as {
  letheEngine?: Promise<Engine>;
  letheStore?: ObjectStore;
};

/** This process's object store (S3 or the local folder). */
export function objectStore(): ObjectStore {
  globalForEngine.letheStore ??= createObjectStore(env());
  return globalForEngine.letheStore;
}

/** This process's engine: one database pool, one store, one queue connection. */
export function appEngine(): Promise<Engine> {
  globalForEngine.letheEngine ??= (async () => {
    const e = env();
    const settings = settingsFromEnv(e);
    const workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    const log = appLog().child({ workerId });
    return {
      db: db(),
      databaseUrl: e.DATABASE_URL,
      store: objectStore(),
      queue: await startPurgeQueue(e.DATABASE_URL, {
        leaseSeconds: settings.leaseSeconds,
        retryLimit: settings.maxTaskAttempts,
        log,
      }),
      settings,
      workerId,
      now: () => new Date(),
      log,
      evidenceKey: () => evidenceSigningKey(e),
      notices: noticeChannelsFromEnv(e),
      exportLinks:
        e.NEXTAUTH_SECRET && e.NEXTAUTH_URL
          ? { key: exportLinkKey(e.NEXTAUTH_SECRET), baseUrl: e.NEXTAUTH_URL }
          : undefined,
    };
  })().catch((error: unknown) => {
    globalForEngine.letheEngine = undefined;
    throw error;
  });
  return globalForEngine.letheEngine;
}
