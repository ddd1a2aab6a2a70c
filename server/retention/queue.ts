import { randomBytes } from "node:crypto";
import PgBoss from "pg-boss";
import { poolConfigFromUrl } from "../db-config";

const QUEUE = "lethe-purge-task";

export type TaskJob = { jobId: string; taskId: number };

const keyOf = (taskId: number) => `task-${taskId}`;

/**
 * Job ids shaped like UUIDv7 (time, then a sequence) that sort in the
 * order given. pg-boss hands out the jobs of one insert by id; random ids
 * would scatter a run's tasks, and a worker's fetch would hold tasks of
 * many categories instead of a few that share batches.
 */
function orderedJobIds(count: number): string[] {
  const ms = Date.now().toString(16).padStart(12, "0");
  const salt = randomBytes(4).toString("hex").slice(0, 7);
  return Array.from({ length: count }, (_, i) => {
    const seq = i.toString(16).padStart(11, "0");
    const hex = `${ms}7${seq.slice(0, 3)}8${seq.slice(3)}${salt}`;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  });
}

export type JobState = "created" | "retry" | "active";

/**
 * Distributes purge tasks (org × category) through pg-boss on the same
 * Postgres. The queue is `stately`: per task (its singleton key) at most one
 * job waits and at most one runs, so duplicate cron deliveries collapse and
 * a task runs once at a time. A job held by a crashed or timed-out worker
 * expires after the lease and is retried with backoff.
 */
export type PurgeQueue = {
  /** Queues a job per task; a task that already has a waiting job keeps it. */
  enqueue(taskIds: number[]): Promise<void>;
  /** Of these tasks, the ones with no job in any of `states` (default: waiting, retrying or running). */
  withoutJob(taskIds: number[], states?: JobState[]): Promise<number[]>;
  /** Up to `limit` jobs, one per task. */
  next(limit: number): Promise<TaskJob[]>;
  /** Jobs waiting to be taken (not those being worked). */
  waiting(): Promise<number>;
  complete(jobs: TaskJob[]): Promise<void>;
  fail(job: TaskJob, error: unknown): Promise<void>;
  /** Moves jobs whose worker vanished past their lease back to retry (no supervisor runs in a serverless function). */
  expireStale(): Promise<void>;
  stop(): Promise<void>;
};

type PromotedMaintenance = { expire(): Promise<void> };

export async function startPurgeQueue(
  databaseUrl: string,
  options: { leaseSeconds: number; retryLimit: number },
): Promise<PurgeQueue> {
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
    migrate: true,
    application_name: "lethe-queue",
  });
  boss.on("error", (error) => console.error("pg-boss:", error));
  await boss.start();
  const queueOptions = {
    name: QUEUE,
    policy: "stately" as const,
    retryLimit: options.retryLimit,
    retryDelay: 1,
    retryBackoff: true,
    expireInSeconds: Math.max(1, Math.round(options.leaseSeconds)),
    retentionMinutes: 60 * 24,
  };
  await boss.createQueue(QUEUE, queueOptions);
  await boss.updateQueue(QUEUE, queueOptions);

  return {
    async enqueue(taskIds) {
      const ids = orderedJobIds(taskIds.length);
      for (let i = 0; i < taskIds.length; i += 5000) {
        await boss.insert(
          taskIds.slice(i, i + 5000).map((taskId, k) => ({
            id: ids[i + k],
            name: QUEUE,
            data: { taskId },
            singletonKey: keyOf(taskId),
          })),
        );
      }
    },
    async withoutJob(taskIds, states = ["created", "retry", "active"]) {
      if (taskIds.length === 0) return [];
      const { rows } = await boss.getDb().executeSql(
        `SELECT t.id FROM unnest($1::int[]) AS t(id)
         WHERE NOT EXISTS (
           SELECT 1 FROM pgboss.job j
           WHERE j.name = $2 AND j.singleton_key = 'task-' || t.id AND j.state::text = ANY($3::text[]))`,
        [taskIds, QUEUE, states],
      );
      return rows.map((r: { id: number }) => r.id);
    },
    async next(limit) {
      const jobs = await boss.fetch<{ taskId: number }>(QUEUE, { batchSize: limit });
      return jobs.map((job) => ({ jobId: job.id, taskId: job.data.taskId }));
    },
    waiting: async () => (await boss.getQueueSize(QUEUE)) ?? 0,
    complete: async (jobs) => {
      if (jobs.length > 0)
        await boss.complete(
          QUEUE,
          jobs.map((j) => j.jobId),
        );
    },
    fail: async (job, error) => {
      await boss.fail(QUEUE, job.jobId, {
        message: error instanceof Error ? error.message : String(error),
      });
    },
    expireStale: () => (boss as unknown as PromotedMaintenance).expire(),
    stop: () => boss.stop({ graceful: false, close: true }),
  };
}
