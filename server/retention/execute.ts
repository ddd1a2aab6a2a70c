import type { Prisma } from "../generated/prisma/client";
import { purgeNextBatch, type TaskTerms } from "./batch";
import type { BackupEnvironment } from "./defaults";
import type { Engine } from "./engine";
import { finalizeRunIfDone, refreshSnapshots } from "./runs";
import { sql } from "./sql";

export type TaskOutcome = "done" | "paused" | "busy" | "gone";

const END_OF_TIME = new Date("9999-12-31T00:00:00Z");
const TRANSIENT_RETRIES = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the task for this worker unless another live worker holds it.
 * Leases run on the database's clock, which every worker shares.
 */
async function claim(engine: Engine, taskId: number) {
  const rows = await engine.db.$queryRaw<{ id: number }[]>(sql`
    UPDATE purge_tasks SET status = 'RUNNING', lease_owner = ${engine.workerId},
                           lease_until = now() + make_interval(secs => ${engine.settings.leaseSeconds}),
                           started_at = coalesce(started_at, now())
    WHERE id = ${taskId} AND status IN ('PENDING', 'RUNNING')
      AND (lease_until IS NULL OR lease_until < now() OR lease_owner = ${engine.workerId})
    RETURNING id`);
  return rows.length > 0;
}

async function release(engine: Engine, taskId: number) {
  await engine.db.$executeRaw(sql`
    UPDATE purge_tasks SET lease_owner = NULL, lease_until = NULL
    WHERE id = ${taskId} AND lease_owner = ${engine.workerId}`);
}

/** The plan's frozen terms for this task. */
async function termsOf(engine: Engine, taskId: number): Promise<TaskTerms> {
  const task = await engine.db.purgeTask.findUniqueOrThrow({
    where: { id: taskId },
    include: { run: { include: { plan: true } } },
  });
  const plan = task.run.plan;
  const entry = await engine.db.planEntry.findUniqueOrThrow({
    where: {
      planId_orgId_category: { planId: plan.id, orgId: task.orgId, category: task.category },
    },
  });
  const scope = plan.scope as Prisma.JsonObject;
  const cutoff = plan.erasureId ? END_OF_TIME : (entry.cutoff ?? plan.asOf);
  return {
    taskId,
    runId: task.runId,
    planId: plan.id,
    orgId: task.orgId,
    category: task.category,
    window: { orgId: task.orgId, days: entry.windowDays ?? 0, cutoff },
    keepNewest: scope.backupKeep as Record<BackupEnvironment, number>,
    memberId: typeof scope.memberId === "number" ? scope.memberId : undefined,
  };
}

/** Ends a task whose manifest has nothing pending, and the run with it when it was the last. */
async function finishTask(engine: Engine, terms: TaskTerms) {
  const changedOrgs = await engine.db.$transaction(async (tx) => {
    const [task] = await tx.$queryRaw<{ plan: string; deleted: number; bytes_freed: bigint }[]>(sql`
      UPDATE purge_tasks SET status = 'SUCCEEDED', finished_at = now(), lease_owner = NULL, lease_until = NULL
      WHERE id = ${terms.taskId} AND status = 'RUNNING'
        AND NOT EXISTS (
          SELECT 1 FROM plan_items WHERE plan_id = ${terms.planId} AND org_id = ${terms.orgId}
            AND category = ${terms.category}::"RetentionCategory" AND state = 'PENDING')
      RETURNING plan::text, deleted, bytes_freed`);
    if (!task) return null;
    await tx.$executeRaw(sql`
      INSERT INTO purge_totals (plan, category, deleted, bytes_freed)
      VALUES (${task.plan}::"Plan", ${terms.category}::"RetentionCategory", ${task.deleted}, ${task.bytes_freed})
      ON CONFLICT (plan, category) DO UPDATE
        SET deleted = purge_totals.deleted + EXCLUDED.deleted, bytes_freed = purge_totals.bytes_freed + EXCLUDED.bytes_freed`);
    return finalizeRunIfDone(tx, terms.runId);
  });
  if (changedOrgs) await refreshSnapshots(engine.db, changedOrgs);
}

/** Records a failed attempt; past the limit the task is given up and the run may end. */
export async function recordTaskFailure(engine: Engine, taskId: number, error: unknown) {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  const changedOrgs = await engine.db.$transaction(async (tx) => {
    const [task] = await tx.$queryRaw<{ run_id: string; status: string }[]>(sql`
      UPDATE purge_tasks SET attempts = attempts + 1, last_error = ${message}, lease_owner = NULL, lease_until = NULL,
        status = CASE WHEN attempts + 1 >= ${engine.settings.maxTaskAttempts} THEN 'FAILED'::"TaskStatus" ELSE status END,
        finished_at = CASE WHEN attempts + 1 >= ${engine.settings.maxTaskAttempts} THEN now() ELSE finished_at END
      WHERE id = ${taskId} AND status IN ('PENDING', 'RUNNING')
      RETURNING run_id, status::text`);
    if (!task || task.status !== "FAILED") return null;
    return finalizeRunIfDone(tx, task.run_id);
  });
  if (changedOrgs) await refreshSnapshots(engine.db, changedOrgs);
}

/**
 * Works one task batch by batch until its manifest is done or the deadline
 * is near. Every batch commits on its own, so stopping between batches
 * (deadline) or inside one (crash) loses nothing and counts nothing twice.
 * A batch that fails on a transient error is retried whole, with backoff.
 */
export async function runTask(
  engine: Engine,
  taskId: number,
  deadline: number,
): Promise<TaskOutcome> {
  if (!(await claim(engine, taskId))) {
    const task = await engine.db.purgeTask.findUnique({
      where: { id: taskId },
      select: { status: true },
    });
    return !task || task.status === "SUCCEEDED" || task.status === "FAILED" ? "gone" : "busy";
  }
  const terms = await termsOf(engine, taskId);
  let slowestBatchMs = 0;
  for (;;) {
    if (Date.now() + slowestBatchMs * 1.5 + 250 > deadline) {
      await release(engine, taskId);
      return "paused";
    }
    const started = Date.now();
    let more = false;
    for (let attempt = 1; ; attempt++) {
      try {
        more = await purgeNextBatch(engine, terms);
        break;
      } catch (error) {
        if (attempt >= TRANSIENT_RETRIES) {
          await recordTaskFailure(engine, taskId, error);
          throw error;
        }
        await sleep(100 * 2 ** attempt);
      }
    }
    slowestBatchMs = Math.max(slowestBatchMs, Date.now() - started);
    if (!more) {
      await finishTask(engine, terms);
      return "done";
    }
    // Renewing the lease fails only if this worker overran it and another took over.
    if (!(await claim(engine, taskId))) return "busy";
  }
}
