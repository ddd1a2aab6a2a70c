import type { Db } from "../../server/db";
import { ROW_BYTES } from "../../server/retention/categories/category";
import { CONVERSATION_CONTEXT_TYPES } from "../../server/retention/policy/defaults";
import { raw } from "../../server/retention/sql";

/**
 * 180 days of storage snapshots, replayed from the rows' own timestamps:
 * what each org stored on each past day, had nothing been purged yet.
 * One statement: a per-day grid with running sums, no rows loaded into Node.
 */
export async function seedSnapshotHistory(db: Db, days = 180) {
  const rowBytesOfT = raw(ROW_BYTES);
  await db.$executeRaw`
    WITH stored AS (
      SELECT org_id, 'ARTIFACTS' AS category, created_at::date AS d, bytes FROM artifacts
      UNION ALL SELECT org_id, 'DRIFT_CHECKS', checked_at::date, ${rowBytesOfT} FROM drift_checks t
      UNION ALL SELECT i.org_id, 'INCIDENT_PAYLOADS', p.created_at::date, p.bytes FROM incident_payloads p JOIN incidents i ON i.id = p.incident_id
      UNION ALL SELECT org_id, 'APPROVALS', created_at::date, ${rowBytesOfT} FROM approvals t
      UNION ALL SELECT org_id, 'IMAGE_ANALYSES', created_at::date, ${rowBytesOfT} FROM image_analyses t
      UNION ALL SELECT org_id, CASE WHEN type = ANY(${CONVERSATION_CONTEXT_TYPES}::text[]) THEN 'CONVERSATION_CONTEXT' ELSE 'PROJECT_MEMORY' END,
                       created_at::date, ${rowBytesOfT} FROM memory_items t
      UNION ALL SELECT org_id, 'SCENE_ITERATIONS', created_at::date, ${rowBytesOfT} FROM scene_iterations t
      UNION ALL SELECT org_id, 'BACKUPS', created_at::date, bytes FROM backups
      UNION ALL SELECT org_id, 'TASK_QUEUE', created_at::date, ${rowBytesOfT} FROM task_queue_entries t
      UNION ALL SELECT org_id, 'ERRORS', created_at::date, ${rowBytesOfT} FROM errors t
      UNION ALL SELECT org_id, 'PROMPTS', created_at::date, ${rowBytesOfT} FROM prompts t
    ),
    first_day AS (SELECT (current_date - ${days}::int) AS d),
    base AS (
      SELECT org_id, category, count(*) AS items, sum(bytes) AS bytes
      FROM stored, first_day WHERE stored.d < first_day.d GROUP BY 1, 2
    ),
    daily AS (
      SELECT org_id, category, stored.d, count(*) AS items, sum(bytes) AS bytes
      FROM stored, first_day WHERE stored.d >= first_day.d GROUP BY 1, 2, 3
    ),
    grid AS (
      SELECT o.id AS org_id, o.plan, c.category, day::date AS day
      FROM organizations o
      CROSS JOIN (SELECT DISTINCT category FROM stored) c
      CROSS JOIN first_day
      CROSS JOIN generate_series(first_day.d, current_date - 1, interval '1 day') AS day
    )
    INSERT INTO storage_snapshots (day, org_id, plan, category, items, bytes)
    SELECT g.day, g.org_id, g.plan, g.category::"RetentionCategory",
           coalesce(b.items, 0) + sum(coalesce(dl.items, 0)) OVER w,
           coalesce(b.bytes, 0) + sum(coalesce(dl.bytes, 0)) OVER w
    FROM grid g
    LEFT JOIN base b ON b.org_id = g.org_id AND b.category = g.category
    LEFT JOIN daily dl ON dl.org_id = g.org_id AND dl.category = g.category AND dl.d = g.day
    WINDOW w AS (PARTITION BY g.org_id, g.category ORDER BY g.day)
    ON CONFLICT (day, org_id, category) DO NOTHING`;
}
