import PgBoss from "pg-boss";
import { poolConfigFromUrl } from "../db-config";

const QUEUE = "lethe-purge-task";

export type TaskJob = { jobId: string; taskId: number };

const keyOf = (taskId: number) => `task-${taskId}`;

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
  next(): Promise<TaskJob | null>;
  complete(job: TaskJob): Promise<void>;
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
      for (let i = 0; i < taskIds.length; i += 5000) {
        await boss.insert(
          taskIds
            .slice(i, i + 5000)
            .map((taskId) => ({ name: QUEUE, data: { taskId }, singletonKey: keyOf(taskId) })),
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
    async next() {
      const [job] = await boss.fetch<{ taskId: number }>(QUEUE, { batchSize: 1 });
      return job ? { jobId: job.id, taskId: job.data.taskId } : null;
    },
    complete: async (job) => {
      await boss.complete(QUEUE, job.jobId);
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
