import { randomBytes } from "node:crypto";
import type { Log } from "../../log";
import { connect, QUEUES, queueOptions, type QueueOptions } from "./queue-setup";

export type WorkKind = "task" | "sweep" | "step";
const WORK_KINDS = ["task", "sweep", "step"] as const;

/** A job of the queue: the task or sweep it hands out. */
export type WorkJob = { jobId: string; kind: WorkKind; id: number };

type JobData = { taskId?: number; sweepId?: number; stepId?: number };
const dataOf = (kind: WorkKind, id: number): JobData => ({ [`${kind}Id`]: id });
const idOf = (kind: WorkKind, data: JobData) =>
  (kind === "task" ? data.taskId : kind === "sweep" ? data.sweepId : data.stepId) ?? 0;
const keyOf = (kind: WorkKind, id: number) => `${kind}-${id}`;

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
 * Distributes purge tasks (org × category) and sweeps through pg-boss on the
 * same Postgres. The queues are `stately`: per task or sweep (its singleton
 * key) at most one job waits and at most one runs, so duplicate cron
 * deliveries collapse and each runs once at a time. A job held by a crashed
 * or timed-out worker expires after the lease and is retried with backoff.
 */
export type PurgeQueue = {
  /** Queues a job per task or sweep; one that already has a waiting job keeps it. */
  enqueue(kind: WorkKind, ids: number[]): Promise<void>;
  /** Of these, the ones with no job in any of `states` (default: waiting, retrying or running). */
  withoutJob(kind: WorkKind, ids: number[], states?: JobState[]): Promise<number[]>;
  /** Up to `limit` jobs of one kind, one per task or sweep. */
  next(kind: WorkKind, limit: number): Promise<WorkJob[]>;
  /** Jobs of a kind waiting to be taken (not those being worked). */
  waiting(kind: WorkKind): Promise<number>;
  complete(jobs: WorkJob[]): Promise<void>;
  fail(job: WorkJob, error: unknown): Promise<void>;
  /** Removes the waiting jobs of these (a cancelled plan's steps): they never run. */
  drop(kind: WorkKind, ids: number[]): Promise<void>;
  /** Moves jobs whose worker vanished past their lease back to retry (no supervisor runs in a serverless function). */
  expireStale(): Promise<void>;
  /** Queues the build of an evidence pack, for any worker to take after purge work. */
  enqueuePack(packId: number): Promise<void>;
  /** The next evidence pack to build, or null. */
  nextPack(): Promise<{ jobId: string; packId: number } | null>;
  /** Ends a pack's job: built, or failed with `error` (retried with backoff). */
  endPack(jobId: string, error?: unknown): Promise<void>;
  /** Queues notice deliveries, one job each (singleton: a delivery waits and runs once at a time). */
  enqueueDeliveries(deliveryIds: string[]): Promise<void>;
  /** Of these deliveries, the ones with no job waiting, retrying or running. */
  deliveriesWithoutJob(deliveryIds: string[]): Promise<string[]>;
  /** The next notice delivery whose time has come, or null. */
  nextDelivery(): Promise<{ jobId: string; deliveryId: string } | null>;
  /** Ends a delivery's job: done, or to be retried with backoff (`retry`: why). */
  endDelivery(jobId: string, retry?: string): Promise<void>;
  /** Queues the build of an export, for any worker to take after purge work. */
  enqueueExport(exportId: number): Promise<void>;
  /** The next export to build, or null. */
  nextExport(): Promise<{ jobId: string; exportId: number } | null>;
  /** Ends an export's job: built, or failed with `error` (retried with backoff). */
  endExport(jobId: string, error?: unknown): Promise<void>;
  stop(): Promise<void>;
};

type PromotedMaintenance = { expire(): Promise<void> };

export async function startPurgeQueue(
  databaseUrl: string,
  options: QueueOptions & { log: Log },
): Promise<PurgeQueue> {
  const boss = connect(databaseUrl, false, options.log);
  try {
    await boss.start();
    for (const name of Object.values(QUEUES)) {
      if (!(await boss.getQueue(name))) throw new Error(`queue ${name} is missing`);
      // The lease and retries follow this deployment's settings.
      await boss.updateQueue(name, queueOptions(name, options));
    }
  } catch (error) {
    await boss.stop({ graceful: false, close: true }).catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`The purge queue is not ready (${why}): run npm run db:migrate.`);
  }

  async function endJob(queue: string, jobId: string, error?: unknown) {
    if (error === undefined) await boss.complete(queue, jobId);
    else
      await boss.fail(queue, jobId, {
        message: error instanceof Error ? error.message : String(error),
      });
  }

  return {
    async enqueue(kind, workIds) {
      const ids = orderedJobIds(workIds.length);
      for (let i = 0; i < workIds.length; i += 5000) {
        await boss.insert(
          workIds.slice(i, i + 5000).map((id, k) => ({
            id: ids[i + k],
            name: QUEUES[kind],
            data: dataOf(kind, id),
            singletonKey: keyOf(kind, id),
          })),
        );
      }
    },
    async withoutJob(kind, workIds, states = ["created", "retry", "active"]) {
      if (workIds.length === 0) return [];
      const { rows } = await boss.getDb().executeSql(
        `SELECT t.id FROM unnest($1::int[]) AS t(id)
         WHERE NOT EXISTS (
           SELECT 1 FROM pgboss.job j
           WHERE j.name = $2 AND j.singleton_key = $3 || '-' || t.id AND j.state::text = ANY($4::text[]))`,
        [workIds, QUEUES[kind], kind, states],
      );
      return rows.map((r: { id: number }) => r.id);
    },
    async next(kind, limit) {
      const jobs = await boss.fetch<JobData>(QUEUES[kind], { batchSize: limit });
      return jobs.map((job) => ({
        jobId: job.id,
        kind,
        id: idOf(kind, job.data),
      }));
    },
    waiting: async (kind) => (await boss.getQueueSize(QUEUES[kind])) ?? 0,
    complete: async (jobs) => {
      for (const kind of WORK_KINDS) {
        const mine = jobs.filter((j) => j.kind === kind).map((j) => j.jobId);
        if (mine.length > 0) await boss.complete(QUEUES[kind], mine);
      }
    },
    fail: async (job, error) => {
      await boss.fail(QUEUES[job.kind], job.jobId, {
        message: error instanceof Error ? error.message : String(error),
      });
    },
    async drop(kind, workIds) {
      if (workIds.length === 0) return;
      await boss.getDb().executeSql(
        `DELETE FROM pgboss.job WHERE name = $1 AND state::text IN ('created', 'retry')
           AND singleton_key = ANY(SELECT $2 || '-' || id FROM unnest($3::int[]) AS t(id))`,
        [QUEUES[kind], kind, workIds],
      );
    },
    async enqueuePack(packId) {
      await boss.send(QUEUES.evidence, { packId }, { singletonKey: `evidence-${packId}` });
    },
    async nextPack() {
      const [job] = await boss.fetch<{ packId: number }>(QUEUES.evidence, { batchSize: 1 });
      return job ? { jobId: job.id, packId: job.data.packId } : null;
    },
    endPack: (jobId, error) => endJob(QUEUES.evidence, jobId, error),
    async enqueueExport(exportId) {
      await boss.send(QUEUES.export, { exportId }, { singletonKey: `export-${exportId}` });
    },
    async enqueueDeliveries(deliveryIds) {
      if (deliveryIds.length === 0) return;
      await boss.insert(
        deliveryIds.map((id) => ({
          name: QUEUES.notice,
          data: { deliveryId: id },
          singletonKey: `notice-${id}`,
        })),
      );
    },
    async deliveriesWithoutJob(deliveryIds) {
      if (deliveryIds.length === 0) return [];
      const { rows } = await boss.getDb().executeSql(
        `SELECT d.id FROM unnest($1::text[]) AS d(id)
         WHERE NOT EXISTS (
           SELECT 1 FROM pgboss.job j
           WHERE j.name = $2 AND j.singleton_key = 'notice-' || d.id
             AND j.state::text IN ('created', 'retry', 'active'))`,
        [deliveryIds, QUEUES.notice],
      );
      return rows.map((r: { id: string }) => r.id);
    },
    async nextDelivery() {
      const [job] = await boss.fetch<{ deliveryId: string }>(QUEUES.notice, { batchSize: 1 });
      return job ? { jobId: job.id, deliveryId: job.data.deliveryId } : null;
    },
    async endDelivery(jobId, retry) {
      if (retry === undefined) await boss.complete(QUEUES.notice, jobId);
      else await boss.fail(QUEUES.notice, jobId, { message: retry });
    },
    async nextExport() {
      const [job] = await boss.fetch<{ exportId: number }>(QUEUES.export, { batchSize: 1 });
      return job ? { jobId: job.id, exportId: job.data.exportId } : null;
    },
    endExport: (jobId, error) => endJob(QUEUES.export, jobId, error),
    expireStale: () => (boss as unknown as PromotedMaintenance).expire(),
    stop: () => boss.stop({ graceful: false, close: true }),
  };
}
