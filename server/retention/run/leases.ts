import type { Engine } from "../deps";
import { sql, type Sql } from "../sql";
import type { WorkKind } from "./queue";

/** What became of a task or sweep this worker was handed: the queue acts on it. */
export type WorkOutcome =
  { kind: "done" | "paused" | "busy" | "gone" } | { kind: "failed"; error: unknown };

const TABLE: Record<WorkKind, Sql> = {
  task: sql`purge_tasks`,
  sweep: sql`purge_sweeps`,
  step: sql`plan_steps`,
};

/** Not ended yet: PENDING (never taken) or RUNNING. */
const OPEN = sql`status IN ('PENDING', 'RUNNING')`;

/** When a lease taken or renewed now runs out, on the database's clock, which every worker shares. */
export const leaseUntil = (engine: Engine): Sql =>
  sql`now() + make_interval(secs => ${engine.settings.leaseSeconds})`;

/** Still this worker's: what a batch checks as it locks its task or sweep. */
export const leasedTo = (engine: Engine): Sql =>
  sql`status = 'RUNNING' AND lease_owner = ${engine.workerId}`;

/**
 * Takes these tasks or sweeps for this worker, except those another live
 * worker holds. Of the others, ended ones are gone and the rest busy.
 */
export async function claim(
  engine: Engine,
  kind: WorkKind,
  ids: number[],
): Promise<{ claimed: Set<number>; unclaimed: Map<number, WorkOutcome> }> {
  const rows = await engine.db.$queryRaw<{ id: number }[]>(sql`
    UPDATE ${TABLE[kind]} SET status = 'RUNNING', lease_owner = ${engine.workerId},
                              lease_until = ${leaseUntil(engine)}, started_at = coalesce(started_at, now())
    WHERE id = ANY(${ids}::int[]) AND ${OPEN}
      AND (lease_until IS NULL OR lease_until < now() OR lease_owner = ${engine.workerId})
    RETURNING id`);
  const claimed = new Set(rows.map((r) => r.id));
  const others = ids.filter((id) => !claimed.has(id));
  if (others.length === 0) return { claimed, unclaimed: new Map() };
  const open = await engine.db.$queryRaw<{ id: number }[]>(sql`
    SELECT id FROM ${TABLE[kind]} WHERE id = ANY(${others}::int[]) AND ${OPEN}`);
  const busy = new Set(open.map((r) => r.id));
  return {
    claimed,
    unclaimed: new Map(others.map((id) => [id, { kind: busy.has(id) ? "busy" : "gone" }])),
  };
}

/** Lets another worker take these at once (a paused or failed attempt). */
export async function release(engine: Engine, kind: WorkKind, ids: number[]) {
  await engine.db.$executeRaw(sql`
    UPDATE ${TABLE[kind]} SET lease_owner = NULL, lease_until = NULL
    WHERE id = ANY(${ids}::int[]) AND lease_owner = ${engine.workerId}`);
}

/** Stops at the deadline: the leases go, and the queue puts the work back. */
export async function pause(
  engine: Engine,
  kind: WorkKind,
  ids: number[],
  outcomes: Map<number, WorkOutcome>,
) {
  await release(engine, kind, ids);
  for (const id of ids) outcomes.set(id, { kind: "paused" });
}

/**
 * The give-up rule: a task or sweep whose failed attempts reached
 * PURGE_MAX_TASK_ATTEMPTS is given up (`attempts`, an SQL expression).
 */
export const givesUpSql = (engine: Engine, attempts: Sql): Sql =>
  sql`${attempts} >= ${engine.settings.maxTaskAttempts}`;
export const givesUp = (engine: Engine, attempts: number) =>
  attempts >= engine.settings.maxTaskAttempts;

/** An error as a task or sweep keeps it: its message, cut to a length a page shows. */
export const errorText = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2000);

/** The SET assignments of a failed attempt of task or sweep `row`: counted, with its error. */
export const countAttempt = (row: Sql, error: Sql): Sql =>
  sql`attempts = ${row}.attempts + 1, last_error = ${error}`;

/** The SET assignments of a failed attempt of task `t`, given up as FAILED by the give-up rule. */
export const failTaskAttempt = (engine: Engine, error: Sql): Sql => {
  const givesUp = givesUpSql(engine, sql`t.attempts + 1`);
  return sql`${countAttempt(sql`t`, error)},
    status = CASE WHEN ${givesUp} THEN 'FAILED'::"TaskStatus" ELSE t.status END,
    finished_at = CASE WHEN ${givesUp} THEN now() ELSE t.finished_at END`;
};
