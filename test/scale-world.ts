import type { Db } from "../server/db";
import { Prisma } from "../server/generated/prisma/client";
import type { ObjectStore } from "../server/storage";

const sql = Prisma.sql;

/** Rows per governed table (orgs spread over the five plans, 1–5 environments each). */
export type WorldSize = {
  orgs: number;
  artifacts: number;
  driftChecks: number;
  incidents: number;
  approvals: number;
  imageAnalyses: number;
  memoryItems: number;
  sceneIterations: number;
  backups: number;
  tasks: number;
  errors: number;
  prompts: number;
  /** Share of orgs, incidents and artifacts under legal hold (as many more holds are released ones). */
  holdShare: number;
};

/** A few orgs of every kind of row: enough for a plan of many planning steps. */
export const FEW_ORGS: WorldSize = {
  orgs: 6,
  artifacts: 150,
  driftChecks: 400,
  incidents: 30,
  approvals: 40,
  imageAnalyses: 20,
  memoryItems: 40,
  sceneIterations: 20,
  backups: 60,
  tasks: 30,
  errors: 20,
  prompts: 20,
  holdShare: 0.1,
};

export const worldRows = (size: WorldSize) =>
  Object.entries(size)
    .filter(([key]) => key !== "holdShare")
    .reduce((sum, [, n]) => sum + n, 0);

/**
 * Fills an empty database with a random world, set-based (a few statements,
 * 100,000 rows in seconds). Ages are random up to a few times each window,
 * and 3% sit at a whole number of days, exactly on a possible cutoff, where
 * `<` and `<=` disagree. The same seed gives the same rows and ids.
 */
export async function seedWorld(db: Db, now: Date, size: WorldSize, seed = 0.42) {
  // An age in days up to `max`; sometimes exactly a whole number of days.
  const age = (max: number) =>
    sql`(CASE WHEN random() < 0.03 THEN floor(random() * ${max}) ELSE random() * ${max} END)`;
  const ago = (max: number) =>
    sql`${now}::timestamptz - make_interval(secs => ${age(max)} * 86400)`;
  const pick = (array: string) =>
    sql`${Prisma.raw(array)}[1 + floor(random() * cardinality(${Prisma.raw(array)}))::int]`;
  const n = (count: number) => sql`generate_series(1, ${count}::int)`;
  await db.$transaction(
    async (tx) => {
      const run = (query: Prisma.Sql) => tx.$executeRaw(query);
      await tx.$executeRaw(sql`SELECT setseed(${seed})`);
      await run(
        sql`INSERT INTO users (email, name, role) VALUES ('world@test.dev', 'World', 'ADMIN')`,
      );
      await run(sql`
        INSERT INTO organizations (name, slug, plan)
        SELECT 'Org ' || g, 'org-' || g, (enum_range(NULL::"Plan"))[1 + floor(random() * 5)::int]
        FROM ${n(size.orgs)} g`);
      await run(sql`
        INSERT INTO environments (org_id, name)
        SELECT o.id, e.name FROM organizations o, unnest(ARRAY['prod','qa','dev','test','staging']) e(name)
        WHERE e.name = 'prod' OR random() < 0.5`);
      const orgs = sql`(SELECT array_agg(id ORDER BY id) AS ids FROM organizations) o`;
      const envs = sql`(SELECT array_agg(id ORDER BY id) AS ids FROM environments) v`;
      await run(sql`
        INSERT INTO artifacts (org_id, kind, title, object_key, bytes, created_at)
        SELECT x.org_id, 'BLOG_POST', 'a', 'orgs/' || x.org_id || '/artifacts/' || x.g || '.bin',
               1 + floor(random() * 2000), ${ago(800)}
        FROM (SELECT ${pick("o.ids")} AS org_id, g FROM ${orgs}, ${n(size.artifacts)} g) x`);
      await run(sql`
        INSERT INTO drift_checks (org_id, environment_id, status, checked_at, summary)
        SELECT e.org_id, e.id, 'DRIFT', ${ago(400)}, '{}'
        FROM (SELECT ${pick("v.ids")} AS env_id FROM ${envs}, ${n(size.driftChecks)}) x
        JOIN environments e ON e.id = x.env_id`);
      await run(sql`
        INSERT INTO workflow_flags (drift_check_id, workflow, flag)
        SELECT id, 'wf', 'MODIFIED' FROM drift_checks WHERE random() < 0.3`);
      await run(sql`
        INSERT INTO incidents (org_id, environment_id, title, status, detected_at, closed_at)
        SELECT e.org_id, e.id, 'drift', x.status, x.closed - interval '2 days',
               CASE WHEN x.status = 'CLOSED' OR random() < 0.2 THEN x.closed END
        FROM (SELECT ${pick("v.ids")} AS env_id,
                     (ARRAY['DETECTED','ACKNOWLEDGED','STABILIZED','RECONCILED','CLOSED','CLOSED','CLOSED']::"IncidentStatus"[])[1 + floor(random() * 7)::int] AS status,
                     ${ago(3000)} AS closed
              FROM ${envs}, ${n(size.incidents)}) x
        JOIN environments e ON e.id = x.env_id`);
      await run(sql`
        INSERT INTO incident_payloads (incident_id, drift_summary, bytes)
        SELECT id, '{"workflows":["a"]}', 1 + floor(random() * 500) FROM incidents WHERE random() < 0.9`);
      await run(sql`
        UPDATE incidents i SET payload_purged_at = i.closed_at
        WHERE NOT EXISTS (SELECT 1 FROM incident_payloads p WHERE p.incident_id = i.id)`);
      const incidents = sql`(SELECT array_agg(id ORDER BY id) AS ids FROM incidents) c`;
      await run(sql`
        INSERT INTO approvals (org_id, incident_id, action, status, requested_by, created_at)
        SELECT i.org_id, i.id, 'ACKNOWLEDGED', 'APPROVED', 'user:1', ${ago(3000)}
        FROM (SELECT ${pick("c.ids")} AS incident_id FROM ${incidents}, ${n(size.approvals)}) x
        JOIN incidents i ON i.id = x.incident_id`);
      const artifacts = sql`(SELECT array_agg(id ORDER BY id) AS ids FROM artifacts) a`;
      await run(sql`
        INSERT INTO image_analyses (org_id, artifact_id, result, created_at)
        SELECT coalesce(a.org_id, x.org_id), a.id, '{}', ${ago(100)}
        FROM (SELECT ${pick("o.ids")} AS org_id,
                     CASE WHEN random() < 0.5 THEN ${pick("a.ids")} END AS artifact_id
              FROM ${orgs}, ${artifacts}, ${n(size.imageAnalyses)}) x
        LEFT JOIN artifacts a ON a.id = x.artifact_id`);
      await run(sql`
        INSERT INTO memory_items (org_id, type, content, created_at)
        SELECT ${pick("o.ids")}, (ARRAY['conversation_context','temporary_note','session_data','user_preference',
                 'scene_style','project_settings','brand_voice','character_notes'])[1 + floor(random() * 8)::int],
               'x', ${ago(400)}
        FROM ${orgs}, ${n(size.memoryItems)}`);
      await run(sql`
        INSERT INTO scene_iterations (org_id, scene_id, iteration, data, created_at)
        SELECT ${pick("o.ids")}, 's', 1, '{}', ${ago(150)} FROM ${orgs}, ${n(size.sceneIterations)}`);
      await run(sql`
        INSERT INTO backups (org_id, environment_id, object_key, bytes, created_at)
        SELECT e.org_id, e.id, 'orgs/' || e.org_id || '/backups/' || x.g || '.sql.gz',
               1 + floor(random() * 4000), ${ago(60)}
        FROM (SELECT ${pick("v.ids")} AS env_id, g FROM ${envs}, ${n(size.backups)} g) x
        JOIN environments e ON e.id = x.env_id`);
      await run(sql`
        INSERT INTO task_queue_entries (org_id, type, status, created_at, finished_at)
        SELECT x.org_id, 'render', x.status, x.at - interval '1 hour',
               CASE WHEN x.status IN ('COMPLETED', 'CANCELLED', 'FAILED') THEN x.at END
        FROM (SELECT ${pick("o.ids")} AS org_id, ${ago(20)} AS at,
                     (enum_range(NULL::"TaskQueueStatus"))[1 + floor(random() * 5)::int] AS status
              FROM ${orgs}, ${n(size.tasks)}) x`);
      await run(sql`
        INSERT INTO errors (org_id, fingerprint, message, created_at, resolved_at)
        SELECT x.org_id, 'f', 'm', x.at - interval '1 day', CASE WHEN random() < 0.6 THEN x.at END
        FROM (SELECT ${pick("o.ids")} AS org_id, ${ago(90)} AS at FROM ${orgs}, ${n(size.errors)}) x`);
      await run(sql`
        INSERT INTO prompts (org_id, name, body, created_at, archived_at)
        SELECT ${pick("o.ids")}, 'p', 'b', ${ago(40)}, CASE WHEN random() < 0.2 THEN ${now}::timestamptz END
        FROM ${orgs}, ${n(size.prompts)}`);
      // Holds: active ones stop purges; released ones (as many) must not.
      const placer = sql`(SELECT id FROM users WHERE email = 'world@test.dev')`;
      const released = sql`CASE WHEN random() < 0.5 THEN ${now}::timestamptz END`;
      await run(sql`
        INSERT INTO legal_holds (scope, org_id, reason, placed_by_id, released_at)
        SELECT 'ORG', id, 'world', ${placer}, ${released} FROM organizations WHERE random() < ${size.holdShare * 2}`);
      await run(sql`
        INSERT INTO legal_holds (scope, org_id, incident_id, reason, placed_by_id, released_at)
        SELECT 'INCIDENT', org_id, id, 'world', ${placer}, ${released} FROM incidents WHERE random() < ${size.holdShare * 2}`);
      await run(sql`
        INSERT INTO legal_holds (scope, org_id, artifact_id, reason, placed_by_id, released_at)
        SELECT 'ARTIFACT', org_id, id, 'world', ${placer}, ${released} FROM artifacts WHERE random() < ${size.holdShare * 2}`);
    },
    { timeout: 600_000, maxWait: 30_000 },
  );
}

/** Runs `work` over `items`, `concurrency` at a time. */
export async function inParallel<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The object of every artifact and backup row, `bytes` long, written to each store. */
export async function writeRowObjects(db: Db, stores: ObjectStore[]) {
  const rows = await db.$queryRaw<{ key: string; bytes: bigint }[]>(sql`
    SELECT object_key AS key, bytes FROM artifacts UNION ALL SELECT object_key, bytes FROM backups`);
  await inParallel(rows, 16, async (row) => {
    const body = new Uint8Array(Number(row.bytes));
    for (const store of stores) await store.put(row.key, body);
  });
  return rows.length;
}
