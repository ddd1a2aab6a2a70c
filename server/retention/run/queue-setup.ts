import PgBoss from "pg-boss";
import { poolConfigFromUrl } from "../../db-config";
import type { Log } from "../../log";
import { DEFAULT_SETTINGS } from "../deps";

/**
 * The queues: org × category tasks, and sweeps (see PurgeSweep). A worker
 * takes sweeps one at a time, so that a long one never waits behind another
 * in the same worker's hands while a second worker has nothing to do.
 * Planning steps (see PlanStep) write plans. Evidence packs and exports are
 * worked when there is no purge work.
 */
export const QUEUES = {
  task: "lethe-purge-task",
  sweep: "lethe-purge-sweep",
  step: "lethe-plan-step",
  evidence: "lethe-evidence-pack",
  notice: "lethe-notice-delivery",
  export: "lethe-export",
} as const;

/**
 * An evidence pack or an export is built in one go, however long: its job
 * expires (and is retried, rebuilt from scratch) only after this.
 */
const PACK_BUILD_SECONDS = 4 * 3600;
const BUILD_QUEUES: string[] = [QUEUES.evidence, QUEUES.export];

/** A notice delivery is one request or one email: its job expires well after the request's timeout. */
const NOTICE_JOB_SECONDS = 120;
/**
 * Attempts the queue allows a delivery's job: above any NOTICE attempts
 * setting, since the delivery itself counts its attempts and decides when
 * it has failed (notices/deliver.ts).
 */
const NOTICE_JOB_RETRIES = 100;

export type QueueOptions = {
  leaseSeconds: number;
  retryLimit: number;
  /** A failed notice delivery's first retry waits this long, each next one twice as long. */
  noticeRetrySeconds?: number;
  /** A notice delivery's job whose worker vanished is handed out again after this long. */
  noticeJobSeconds?: number;
};

/** The default first retry delay of a notice delivery: 10 s, 20 s, 40 s, 80 s fit one cron delivery. */
const NOTICE_RETRY_SECONDS = 10;

export function connect(databaseUrl: string, migrate: boolean, log: Log) {
  const pool = poolConfigFromUrl(databaseUrl);
  const boss = new PgBoss({
    host: pool.host,
    port: pool.port,
    user: pool.user,
    password: typeof pool.password === "string" ? pool.password : undefined,
    database: pool.database,
    ssl: pool.ssl,
    max: 4,
    schema: "pgboss",
    supervise: false,
    schedule: false,
    migrate,
    application_name: "lethe-queue",
  });
  // Errors of the queue's own maintenance and connections: its calls throw theirs.
  boss.on("error", (error) => log.error({ err: error }, "pg-boss failed"));
  return boss;
}

export const queueOptions = (name: string, options: QueueOptions) =>
  name === QUEUES.notice
    ? {
        name,
        policy: "stately" as const,
        retryLimit: NOTICE_JOB_RETRIES,
        retryDelay: options.noticeRetrySeconds ?? NOTICE_RETRY_SECONDS,
        retryBackoff: true,
        expireInSeconds: options.noticeJobSeconds ?? NOTICE_JOB_SECONDS,
        retentionMinutes: 60 * 24,
      }
    : {
        name,
        policy: "stately" as const,
        retryLimit: options.retryLimit,
        retryDelay: 1,
        retryBackoff: true,
        expireInSeconds: BUILD_QUEUES.includes(name)
          ? PACK_BUILD_SECONDS
          : Math.max(1, Math.round(options.leaseSeconds)),
        retentionMinutes: 60 * 24,
      };

/**
 * Creates or upgrades the queue's schema and its queues: DDL, so it runs as
 * the database's owner with the migrations (the app's role may not). Each
 * app process then sets the lease and retries of its own settings.
 */
export async function installPurgeQueue(ownerUrl: string, log: Log) {
  const boss = connect(ownerUrl, true, log);
  await boss.start();
  try {
    const defaults = {
      leaseSeconds: DEFAULT_SETTINGS.leaseSeconds,
      retryLimit: DEFAULT_SETTINGS.maxTaskAttempts,
    };
    for (const name of Object.values(QUEUES))
      await boss.createQueue(name, queueOptions(name, defaults));
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
}
