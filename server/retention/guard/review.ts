import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { ReviewReason, RetentionCategory } from "../../generated/prisma/enums";
import type { Engine } from "../deps";
import { appendAudit, type Actor } from "../evidence/audit-log";
import { addToTotals } from "../run/ledger";
import { afterRunEnd, endRunIfDoneIn } from "../run/run-end";
import { recordSetAside } from "../run/set-aside";
import { sql, type Tx } from "../sql";
import { reviewReasonText } from "./reason-text";

/** A task the guard paused, as an admin reviews it. */
export type PausedTask = {
  taskId: number;
  runId: string;
  runStartedAt: Date;
  orgId: number;
  orgName: string;
  category: RetentionCategory;
  count: number;
  reason: ReviewReason;
  /** Null: nothing to weigh its count against (a shrunk window paused it). */
  baseline: number | null;
  historyRuns: number;
  windowWas: number | null;
  windowDays: number | null;
  moreItems: number | null;
  /** Why, in a sentence: "was 90 days, now 30; 12,400 more items". */
  why: string;
};

/** Every task awaiting review, oldest run first. */
export async function pausedTasks(db: Db): Promise<PausedTask[]> {
  const rows = await db.$queryRaw<Omit<PausedTask, "why">[]>(sql`
    SELECT t.id AS "taskId", t.run_id AS "runId", r.started_at AS "runStartedAt", t.org_id AS "orgId",
           o.name AS "orgName", t.category, t.eligible AS count, t.review_reason AS reason,
           t.baseline, t.history_runs AS "historyRuns", t.window_was AS "windowWas",
           e.window_days AS "windowDays", t.more_items AS "moreItems"
    FROM purge_tasks t
    JOIN purge_runs r ON r.id = t.run_id
    JOIN organizations o ON o.id = t.org_id
    JOIN plan_entries e ON e.plan_id = r.plan_id AND e.org_id = t.org_id AND e.category = t.category
    WHERE t.status = 'NEEDS_REVIEW'
    ORDER BY r.started_at, t.id`);
  return rows.map((r) => ({ ...r, why: reviewReasonText(r) }));
}

/** How many tasks await review: the metrics and the Overview's banner. */
export async function countAwaitingReview(db: Db) {
  return db.purgeTask.count({ where: { status: "NEEDS_REVIEW" } });
}

export type ReviewRequest = { taskId: number; actor: Actor };

/**
 * Takes the paused task for review: its run's row first (as a run's end
 * locks it), then the task, which must still await review. The run is
 * RUNNING again from here until its tasks end again.
 */
async function takeForReview(tx: Tx, taskId: number) {
  const [run] = await tx.$queryRaw<{ id: string }[]>(sql`
    SELECT r.id FROM purge_runs r JOIN purge_tasks t ON t.run_id = r.id
    WHERE t.id = ${taskId} FOR NO KEY UPDATE OF r`);
  if (!run)
    throw new AppError("NOT_FOUND", `No purge task ${taskId}: take the id from the Review page.`);
  const [task] = await tx.$queryRaw<PausedTask[]>(sql`
    SELECT t.id AS "taskId", t.org_id AS "orgId", t.category, t.eligible AS count,
           t.review_reason AS reason, t.baseline, t.history_runs AS "historyRuns",
           t.window_was AS "windowWas", e.window_days AS "windowDays", t.more_items AS "moreItems"
    FROM purge_tasks t
    JOIN purge_runs r ON r.id = t.run_id
    JOIN plan_entries e ON e.plan_id = r.plan_id AND e.org_id = t.org_id AND e.category = t.category
    WHERE t.id = ${taskId} AND t.status = 'NEEDS_REVIEW' FOR UPDATE OF t`);
  if (!task)
    throw new AppError(
      "CONFLICT",
      `Task ${taskId} does not await review: it was reviewed already.`,
    );
  await tx.$executeRaw(
    sql`UPDATE purge_runs SET status = 'RUNNING', finished_at = NULL WHERE id = ${run.id}`,
  );
  return { runId: run.id, task: { ...task, why: reviewReasonText(task) } };
}

const reviewed = (decision: "APPROVED" | "REJECTED", actor: Actor) =>
  sql`review_decision = ${decision}::"ReviewDecision",
      reviewed_by_id = ${actor === "system" ? null : actor.id}, reviewed_at = now()`;

async function auditReview(
  tx: Tx,
  actor: Actor,
  action: "purge.review.approved" | "purge.review.rejected",
  runId: string,
  task: PausedTask,
) {
  await appendAudit(tx, {
    actor,
    action,
    orgId: task.orgId,
    target: `run:${runId}`,
    details: {
      task: task.taskId,
      category: task.category,
      reason: task.reason,
      count: task.count,
      baseline: task.baseline,
      ...(task.windowWas !== null
        ? { windowWas: task.windowWas, windowDays: task.windowDays }
        : {}),
    },
  });
}

/**
 * Approves a paused task: it is queued again, and the next delivery or
 * worker deletes its items under the plan's frozen terms, as it would have.
 */
export async function approveTask(engine: Engine, request: ReviewRequest) {
  const runId = await engine.db.$transaction(async (tx) => {
    const { runId, task } = await takeForReview(tx, request.taskId);
    await tx.$executeRaw(sql`
      UPDATE purge_tasks SET status = 'PENDING', ${reviewed("APPROVED", request.actor)}
      WHERE id = ${request.taskId}`);
    await auditReview(tx, request.actor, "purge.review.approved", runId, task);
    return runId;
  });
  await engine.queue.enqueue("task", [request.taskId]);
  engine.log.info({ runId, taskId: request.taskId }, "task approved");
  return { runId };
}

/**
 * Rejects a paused task: its items are set aside SKIPPED with the guard's
 * reason and stay; the task ends with them counted as skipped, and the run
 * ends again.
 */
export async function rejectTask(engine: Engine, request: ReviewRequest) {
  let runId = "";
  const ended = await engine.db.$transaction(async (tx) => {
    const taken = await takeForReview(tx, request.taskId);
    runId = taken.runId;
    const { task } = taken;
    await tx.$executeRaw(sql`
      WITH rest AS (
        ${recordSetAside(sql`
          SELECT p.id, p.plan_id, p.org_id, p.category, 'SKIPPED', ${`kept: an admin rejected its review (${task.why})`}
          FROM purge_tasks t JOIN purge_runs r ON r.id = t.run_id
          JOIN plan_items p ON p.plan_id = r.plan_id AND p.org_id = t.org_id AND p.category = t.category
          WHERE t.id = ${request.taskId} AND p.id > t.settled_through`)}
        RETURNING plan_item_id AS id),
      ended AS (
        UPDATE purge_tasks t SET status = 'SUCCEEDED', finished_at = now(),
          skipped = t.skipped + (SELECT count(*) FROM rest),
          settled_through = greatest(t.settled_through, coalesce((SELECT max(id) FROM rest), 0)),
          ${reviewed("REJECTED", request.actor)}
        WHERE t.id = ${request.taskId}
        RETURNING t.plan, t.category, t.deleted, t.bytes_freed)
      ${addToTotals(sql`ended`)}`);
    await auditReview(tx, request.actor, "purge.review.rejected", runId, task);
    return endRunIfDoneIn(tx, runId);
  });
  engine.log.info({ runId, taskId: request.taskId }, "task rejected");
  await afterRunEnd(engine, ended);
  return { runId };
}
