import type { Sizes, Statement } from "./seed-sql";

/**
 * What a fleet in use also has: overrides, legal holds (some released) and
 * a history of daily purge runs with per-org × category tasks, so the
 * console's pages and the engine's hold checks meet realistic volumes.
 * `adminId` placed the holds and set the overrides.
 */
export function extraStatements(adminId: number, sizes: Sizes): Statement[] {
  const incidentHolds = Math.max(1, Math.round(sizes.incidents / 400));
  const artifactHolds = Math.max(1, Math.round(sizes.artifacts / 1000));
  return [
    {
      // Twice the plan's window: inside the bounds (half to four times) wherever the plan has one.
      label: "retention overrides",
      text: `
        INSERT INTO retention_overrides (org_id, category, days, reason, set_by_id, created_at, updated_at)
        SELECT o.id, c.category::"RetentionCategory", c.days * 2, 'Contractual retention', $1, now(), now()
        FROM organizations o
        JOIN (VALUES ('ARTIFACTS', 'FREE', 30), ('ARTIFACTS', 'BASIC', 90), ('ARTIFACTS', 'PRO', 365),
                     ('ARTIFACTS', 'AGENCY', 365), ('DRIFT_CHECKS', 'FREE', 7), ('DRIFT_CHECKS', 'BASIC', 30),
                     ('DRIFT_CHECKS', 'PRO', 30), ('DRIFT_CHECKS', 'AGENCY', 90), ('DRIFT_CHECKS', 'ENTERPRISE', 180))
             AS c(category, plan, days) ON c.plan = o.plan::text
        WHERE o.id % 33 = 0`,
      values: [adminId],
    },
    {
      label: "legal holds",
      text: `
        INSERT INTO legal_holds (scope, org_id, incident_id, artifact_id, reason, placed_by_id, placed_at, released_by_id, released_at)
        SELECT 'ORG'::"HoldScope", id, NULL::int, NULL::int, 'Litigation hold', $1::int, now() - interval '200 days',
               CASE WHEN id % 194 = 0 THEN $1::int END, CASE WHEN id % 194 = 0 THEN now() - interval '10 days' END
        FROM organizations WHERE id % 97 = 0
        UNION ALL
        SELECT 'INCIDENT'::"HoldScope", org_id, id, NULL, 'Regulator inquiry', $1::int, now() - interval '100 days', NULL, NULL
        FROM (SELECT * FROM incidents WHERE status = 'CLOSED' ORDER BY random() LIMIT $2) i
        UNION ALL
        SELECT 'ARTIFACT'::"HoldScope", org_id, NULL, id, 'Customer dispute', $1::int, now() - interval '50 days', NULL, NULL
        FROM (SELECT * FROM artifacts ORDER BY random() LIMIT $3) a`,
      values: [adminId, incidentHolds, artifactHolds],
    },
    {
      label: "past daily runs: plans",
      text: `
        INSERT INTO purge_plans (id, trigger, status, scope, as_of, created_at, expires_at, confirmed_at,
                                 item_count, bytes, manifest_hash, guardrails)
        SELECT gen_random_uuid(), 'CRON', 'CONFIRMED', '{"orgIds":null,"categories":null}'::jsonb,
               d + interval '4 hours', d + interval '4 hours', d + interval '4 hours 15 minutes', d + interval '4 hours',
               0, 0, md5(d::text), '{"reasons":[],"confirmPhrase":null}'::jsonb
        FROM generate_series(current_date - $1::int, current_date - 1, interval '1 day') d`,
      values: [sizes.runs],
    },
    {
      label: "past daily runs: runs",
      text: `
        INSERT INTO purge_runs (id, run_key, plan_id, trigger, status, started_at, finished_at)
        SELECT gen_random_uuid(), 'cron:' || to_char(p.as_of, 'YYYY-MM-DD'), p.id, 'CRON',
               (CASE WHEN extract(day FROM p.as_of)::int % 9 = 0 THEN 'PARTIAL' ELSE 'SUCCEEDED' END)::"RunStatus",
               p.as_of, p.as_of + interval '7 minutes'
        FROM purge_plans p WHERE p.trigger = 'CRON'`,
    },
    {
      // About half of the org × category pairs with daily churn have something to purge each day.
      label: "past daily runs: entries and tasks",
      text: `
        WITH work AS (
          SELECT r.id AS run_id, r.plan_id, r.started_at, o.id AS org_id, o.plan, c.category,
                 (10 + random() * 400)::int AS items, (random() * 5e8)::bigint AS bytes
          FROM purge_runs r CROSS JOIN organizations o
          CROSS JOIN unnest(ARRAY['DRIFT_CHECKS','TASK_QUEUE','ARTIFACTS','ERRORS']) AS c(category)
          WHERE random() < 0.5
        ),
        entries AS (
          INSERT INTO plan_entries (plan_id, org_id, category, cutoff, window_days, item_count, bytes,
                                    total_items, sample)
          SELECT plan_id, org_id, category::"RetentionCategory", started_at - interval '30 days', 30, items, bytes,
                 items * 4, '[]'::jsonb
          FROM work
        )
        INSERT INTO purge_tasks (run_id, org_id, plan, category, status, eligible, deleted, bytes_freed,
                                 batches, attempts, started_at, finished_at)
        SELECT run_id, org_id, plan, category::"RetentionCategory", 'SUCCEEDED', items, items, bytes,
               1 + items / 1000, 0, started_at, started_at + interval '2 minutes'
        FROM work`,
    },
    {
      label: "past daily runs: totals",
      text: `
        WITH sums AS (
          SELECT run_id, sum(eligible) AS items, sum(deleted) AS deleted, sum(bytes_freed) AS bytes
          FROM purge_tasks GROUP BY run_id
        ), runs AS (
          UPDATE purge_runs r SET items_total = s.items, deleted = s.deleted, bytes_freed = s.bytes
          FROM sums s WHERE r.id = s.run_id RETURNING r.plan_id, s.items, s.bytes
        )
        UPDATE purge_plans p SET item_count = runs.items, bytes = runs.bytes FROM runs WHERE p.id = runs.plan_id`,
    },
  ];
}
