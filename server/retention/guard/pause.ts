import type { Db } from "../../db";
import type { Engine } from "../deps";
import { sql, type Sql, type Tx } from "../sql";

/** The past daily runs a baseline is taken from. */
export const HISTORY_RUNS = 14;
/**
 * Fewer past daily tasks than this and an org × category has no baseline
 * of its own (a new org, or one whose items fall due now and then): its
 * count is weighed against what the current forecast had due for it
 * instead, which a new org's normal first run matches. An org newer than
 * that forecast (or a fleet without one) has nothing to be weighed
 * against, and is not paused for its volume.
 */
export const LEAST_HISTORY = 3;

/**
 * What the guard had to weigh a daily run's volumes against: the daily runs
 * before it (up to HISTORY_RUNS), and whether a forecast preceded it. With
 * neither, the fleet's first daily run, it could pause nothing for volume.
 */
export async function guardBasis(db: Db, run: { id: string; startedAt: Date }) {
  const [row] = await db.$queryRaw<{ runs: number; forecast: boolean }[]>(sql`
    SELECT (SELECT count(*)::int FROM (
              SELECT 1 FROM purge_runs WHERE trigger = 'CRON' AND id <> ${run.id} AND started_at < ${run.startedAt}
              LIMIT ${HISTORY_RUNS}) h) AS runs,
           EXISTS (SELECT 1 FROM forecast_snapshots WHERE as_of <= ${run.startedAt}) AS forecast`);
  return { earlierRuns: row?.runs ?? 0, forecast: row?.forecast ?? false };
}

/**
 * The guard, as the daily run opens: pauses (NEEDS_REVIEW) the tasks of a
 * range of orgs that an admin must see before anything of theirs is
 * deleted, in one statement over those tasks (each is judged by its own
 * pair's past alone, so the ranges are guarded apart).
 *
 * - Shrunk window: the pair's window is shorter than in its last daily
 *   task that succeeded unattended or approved (a rejected one does not
 *   count, so a rejected shrink pauses again the next day; one still
 *   waiting, or rejected, carries that window on, however long no one
 *   reviews) and the plan holds items that window would have kept.
 * - Volume: its count is above both the floor and the factor times its
 *   baseline: the median of its past daily tasks (those the guard did not
 *   pause) in the last HISTORY_RUNS daily runs, or with fewer than
 *   LEAST_HISTORY of them, what the current forecast had due for it by the
 *   plan's day (overdue backlog included), if it knew the org.
 *
 * The sweeps of the run learn which orgs they pass by. Returns the ids of
 * the tasks it paused.
 */
export async function pauseForReview(
  tx: Tx,
  engine: Engine,
  run: { id: string; planId: string; asOf: Date },
  orgs: { first: number; last: number },
): Promise<number[]> {
  const { guardFactor, guardFloor } = engine.settings;
  const mine = (org: Sql) => sql`${org} BETWEEN ${orgs.first} AND ${orgs.last}`;
  // The run's tasks were inserted by this transaction, so the planner
  // estimates them as one row and loops over every baseline per task (over
  // 8 minutes for 107,000 tasks at once): hash joins instead.
  const [setting] = await tx.$queryRaw<{ was: string }[]>(
    sql`SELECT current_setting('enable_nestloop') AS was, set_config('enable_nestloop', 'off', true)`,
  );
  const rows = await tx.$queryRaw<{ id: number }[]>(sql`
    WITH history AS (
      SELECT id, plan_id, started_at FROM purge_runs
      WHERE trigger = 'CRON' AND id <> ${run.id} ORDER BY started_at DESC LIMIT ${HISTORY_RUNS}),
    past AS MATERIALIZED (
      SELECT t.org_id, t.category, t.eligible, t.status, t.review_reason, t.review_decision,
             t.window_was, h.plan_id, h.started_at
      FROM history h JOIN purge_tasks t ON t.run_id = h.id AND ${mine(sql`t.org_id`)}),
    usual AS (
      SELECT org_id, category, count(*)::int AS runs,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY eligible) AS median
      FROM past WHERE review_reason IS NULL GROUP BY org_id, category),
    -- Each pair's entry looked up once, not once per past task. A shrink
    -- still waiting for its review (or rejected) hands on the window before
    -- it, so days without a review never make the shorter window the usual one.
    last_window AS (
      SELECT l.org_id, l.category, coalesce(l.window_was, e.window_days) AS window_days
      FROM (SELECT DISTINCT ON (org_id, category) org_id, category, plan_id,
                   CASE WHEN review_reason = 'SHRUNK_WINDOW'
                         AND review_decision IS DISTINCT FROM 'APPROVED' THEN window_was END AS window_was
            FROM past
            WHERE (status = 'SUCCEEDED' AND review_decision IS DISTINCT FROM 'REJECTED')
               OR (review_reason = 'SHRUNK_WINDOW' AND review_decision IS DISTINCT FROM 'APPROVED'
                   AND window_was IS NOT NULL)
            ORDER BY org_id, category, started_at DESC) l
      LEFT JOIN plan_entries e ON e.plan_id = l.plan_id AND e.org_id = l.org_id AND e.category = l.category),
    forecast AS (SELECT id, as_of FROM forecast_snapshots ORDER BY id DESC LIMIT 1),
    due AS (
      SELECT org_id, category, sum(items)::int AS items FROM forecast_days
      WHERE snapshot_id = (SELECT id FROM forecast)
        AND day <= (${run.asOf}::timestamptz AT TIME ZONE 'UTC')::date AND ${mine(sql`org_id`)}
      GROUP BY org_id, category),
    judged AS (
      SELECT t.id, t.eligible, w.window_days AS was, m.more, coalesce(u.runs, 0) AS runs,
             CASE WHEN u.runs >= ${LEAST_HISTORY} THEN u.median
                  WHEN o.created_at <= (SELECT as_of FROM forecast) THEN coalesce(d.items, 0) END AS baseline
      FROM purge_tasks t
      JOIN organizations o ON o.id = t.org_id
      JOIN plan_entries e ON e.plan_id = ${run.planId} AND e.org_id = t.org_id AND e.category = t.category
      LEFT JOIN usual u ON u.org_id = t.org_id AND u.category = t.category
      LEFT JOIN last_window w ON w.org_id = t.org_id AND w.category = t.category
      LEFT JOIN due d ON d.org_id = t.org_id AND d.category = t.category
      -- Only for a shrunk window: the plan's items the old cutoff would have kept.
      LEFT JOIN LATERAL (
        SELECT count(*)::int AS more FROM plan_items p
        WHERE w.window_days > e.window_days
          AND p.plan_id = ${run.planId} AND p.org_id = t.org_id AND p.category = t.category
          AND p.eligible_at - make_interval(days => e.window_days)
              >= ${run.asOf}::timestamptz - make_interval(days => w.window_days)) m ON true
      WHERE t.run_id = ${run.id} AND ${mine(sql`t.org_id`)}),
    paused AS (
      UPDATE purge_tasks t SET
        status = 'NEEDS_REVIEW',
        review_reason = (CASE WHEN j.more > 0 THEN 'SHRUNK_WINDOW' ELSE 'VOLUME' END)::"ReviewReason",
        baseline = round(j.baseline)::int, history_runs = j.runs,
        window_was = CASE WHEN j.more > 0 THEN j.was END, more_items = CASE WHEN j.more > 0 THEN j.more END
      FROM judged j
      WHERE t.id = j.id
        AND (j.more > 0 OR (j.eligible > ${guardFloor} AND j.eligible > ${guardFactor} * j.baseline))
      RETURNING t.id, t.org_id, t.category),
    passed_by AS (
      UPDATE purge_sweeps s SET guarded_orgs = s.guarded_orgs || g.org_ids
      FROM (SELECT category, array_agg(org_id ORDER BY org_id) AS org_ids FROM paused GROUP BY category) g
      WHERE s.run_id = ${run.id} AND s.category = g.category)
    SELECT id FROM paused ORDER BY id`);
  await tx.$queryRaw(sql`SELECT set_config('enable_nestloop', ${setting?.was ?? "on"}, true)`);
  return rows.map((r) => r.id);
}
