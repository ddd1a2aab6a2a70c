/**
 * The scale dataset as set-based SQL: every table is one INSERT … SELECT
 * over generate_series, so 10 million rows take minutes, not hours.
 *
 * Layout the statements rely on (the database is created fresh):
 * organization ids are 1..orgs; environment e belongs to org
 * ((e - 1) % orgs) + 1, so an org's environments are o, o + orgs, o + 2·orgs….
 * Rows pick their org skewed (random()²): a few large tenants, a long tail
 * of small ones, as a real fleet has.
 */
export type Sizes = {
  orgs: number;
  environments: number;
  artifacts: number;
  driftChecks: number;
  incidents: number;
  approvals: number;
  memoryItems: number;
  sceneIterations: number;
  backups: number;
  taskQueueEntries: number;
  errors: number;
  prompts: number;
  /** Past daily purge runs, for the Purge runs page. */
  runs: number;
};

export const BASE_SIZES: Sizes = {
  orgs: 10_000,
  environments: 30_000,
  artifacts: 1_000_000,
  driftChecks: 5_000_000,
  incidents: 200_000,
  approvals: 300_000,
  memoryItems: 500_000,
  sceneIterations: 300_000,
  backups: 240_000,
  taskQueueEntries: 500_000,
  errors: 300_000,
  prompts: 100_000,
  runs: 30,
};

export type Statement = { label: string; text: string; values?: unknown[] };

/** An org id drawn skewed from 1..$1 (random()²): low ids are the large tenants. */
const SKEWED_ORG = "(1 + least($1 - 1, floor($1 * random() ^ 2)::int))";

const daysAgo = (days: number) => `(now() - random() * interval '${days} days')`;

/**
 * `count` draws as (g, org, env): a skewed org and one of its environments
 * ($1 orgs, $2 environments, `perOrg` environments per org at most).
 */
const orgAndEnv = (count: string, perOrg: number) => `(
  SELECT g, org, CASE WHEN cand <= $2 THEN cand ELSE org END AS env
  FROM (SELECT g, org, org + $1 * floor(random() * ${perOrg})::int AS cand
        FROM (SELECT g, ${SKEWED_ORG} AS org FROM generate_series(1, ${count}::int) g) a) b)`;

const ENV_NAMES = "ARRAY['prod','qa','dev','test','staging','preview']";
const WORDS =
  "ARRAY['Acme','Globex','Initech','Umbrella','Hooli','Stark','Wayne','Tyrell','Cyberdyne','Soylent','Wonka','Aperture','Vandelay','Gringotts','Monarch','Oscorp','Duff','Nakatomi','Pied Piper','Massive Dynamic']";
const MEMORY_TYPES =
  "ARRAY['conversation_context','temporary_note','session_data','user_preference','scene_style','project_settings','brand_voice','character_notes','style_guide']";

export function seedStatements(s: Sizes): Statement[] {
  const orgs = s.orgs;
  const envs = s.environments;
  const perOrg = Math.ceil(envs / orgs);
  return [
    {
      label: "organizations",
      text: `
        INSERT INTO organizations (name, slug, plan, created_at)
        SELECT (${WORDS})[1 + g % 20] || ' ' || g, 'org-' || g,
               (CASE WHEN r < 0.40 THEN 'FREE' WHEN r < 0.65 THEN 'BASIC' WHEN r < 0.85 THEN 'PRO'
                     WHEN r < 0.95 THEN 'AGENCY' ELSE 'ENTERPRISE' END)::"Plan",
               now() - interval '3 years'
        FROM (SELECT g, random() AS r FROM generate_series(1, $1::int) g) s ORDER BY g`,
      values: [orgs],
    },
    {
      label: "members",
      text: `
        INSERT INTO members (org_id, external_id, created_at)
        SELECT o, 'user-' || k, now() - interval '2 years'
        FROM generate_series(1, $1::int) o, generate_series(1, 3) k`,
      values: [orgs],
    },
    {
      label: "environments",
      text: `
        INSERT INTO environments (org_id, name, created_at)
        SELECT (e - 1) % $1 + 1,
               coalesce((${ENV_NAMES})[(e - 1) / $1 + 1], 'env-' || ((e - 1) / $1 + 1)),
               now() - interval '2 years'
        FROM generate_series(1, $2::int) e ORDER BY e`,
      values: [orgs, envs],
    },
    {
      label: "drift checks (400 days)",
      text: `
        WITH summaries AS (
          SELECT array_agg(jsonb_build_object('workflows', 12 + k, 'source', 'git@github.com:acme/flows.git',
                                              'branch', 'main', 'durationMs', 800 + k * 37)) AS a
          FROM generate_series(0, 63) k
        )
        INSERT INTO drift_checks (org_id, environment_id, status, checked_at, modified_count, not_in_git_count, unknown_count, summary)
        SELECT org, env, status::"DriftStatus", ${daysAgo(400)},
               CASE WHEN status = 'DRIFT' THEN 1 + (g % 3) ELSE 0 END,
               CASE WHEN status = 'DRIFT' THEN g % 2 ELSE 0 END,
               CASE WHEN status = 'UNKNOWN' THEN 1 ELSE 0 END,
               summaries.a[1 + g % 64]
        FROM summaries, (
          SELECT g, org, env, CASE WHEN r < 0.7 THEN 'IN_SYNC' WHEN r < 0.9 THEN 'DRIFT' ELSE 'UNKNOWN' END AS status
          FROM (SELECT *, random() AS r FROM ${orgAndEnv("$3", perOrg)} x) y
        ) c`,
      values: [orgs, envs, s.driftChecks],
    },
    {
      label: "workflow flags",
      text: `
        INSERT INTO workflow_flags (drift_check_id, workflow, flag)
        SELECT c.id, 'workflow-' || k,
               (CASE WHEN k <= c.modified_count THEN 'MODIFIED'
                     WHEN k <= c.modified_count + c.not_in_git_count THEN 'NOT_IN_GIT' ELSE 'UNKNOWN' END)::"WorkflowFlagKind"
        FROM drift_checks c,
             generate_series(1, c.modified_count + c.not_in_git_count + c.unknown_count) k`,
    },
    {
      // FREE has no incidents (PRODUCT.md: "—"); a quarter of them are open.
      label: "incidents",
      text: `
        WITH paid AS (SELECT array_agg(id ORDER BY id) AS ids FROM organizations WHERE plan <> 'FREE'),
        picked AS (
          SELECT g, org, org + $1 * floor(random() * ${perOrg})::int AS cand, random() AS r, ${daysAgo(1095)} AS detected
          FROM (SELECT g, ids[1 + least(cardinality(ids) - 1, floor(cardinality(ids) * random() ^ 2)::int)] AS org
                FROM paid, generate_series(1, $3::int) g) x
        )
        INSERT INTO incidents (org_id, environment_id, title, status, detected_at, acknowledged_at,
                               stabilized_at, reconciled_at, closed_at)
        SELECT org, CASE WHEN cand <= $2 THEN cand ELSE org END, 'Drift in workflow ' || (g % 500), status::"IncidentStatus",
               detected,
               CASE WHEN status <> 'DETECTED' THEN detected + interval '20 minutes' END,
               CASE WHEN status IN ('STABILIZED', 'RECONCILED', 'CLOSED') THEN detected + interval '3 hours' END,
               CASE WHEN status IN ('RECONCILED', 'CLOSED') THEN detected + interval '1 day' END,
               CASE WHEN status = 'CLOSED' THEN least(now(), detected + make_interval(days => 1 + (g % 20))) END
        FROM (
          SELECT *, CASE WHEN r < 0.75 THEN 'CLOSED' WHEN r < 0.82 THEN 'DETECTED'
                         WHEN r < 0.88 THEN 'ACKNOWLEDGED' WHEN r < 0.94 THEN 'STABILIZED' ELSE 'RECONCILED' END AS status
          FROM picked
        ) i`,
      values: [orgs, envs, s.incidents],
    },
    {
      label: "incident payloads",
      text: `
        WITH variants AS (
          SELECT array_agg(w ORDER BY v) AS a FROM (
            SELECT v, jsonb_agg(jsonb_build_object(
                     'name', 'workflow-' || k, 'flag', (ARRAY['MODIFIED','NOT_IN_GIT','UNKNOWN'])[1 + (v + k) % 3],
                     'diff', repeat('~', 40 + (v * k) % 80))) AS w
            FROM generate_series(0, 63) v, generate_series(1, 3 + v % 6) k GROUP BY v) x
        )
        INSERT INTO incident_payloads (incident_id, drift_summary, bytes, created_at)
        SELECT id, summary, octet_length(summary::text), detected_at
        FROM (
          SELECT i.id, i.detected_at, jsonb_build_object('environment', i.environment_id, 'detectedAt', i.detected_at,
                                                         'workflows', variants.a[1 + i.id % 64]) AS summary
          FROM incidents i, variants
        ) p`,
    },
    {
      label: "approvals",
      text: `
        INSERT INTO approvals (org_id, incident_id, action, status, requested_by, decided_by, decided_at, note, created_at)
        SELECT i.org_id, i.id, (ARRAY['ACKNOWLEDGED','STABILIZED','RECONCILED','CLOSED'])[1 + k % 4]::"IncidentStatus",
               (ARRAY['APPROVED','APPROVED','REJECTED','PENDING'])[1 + (i.id + k) % 4]::"ApprovalStatus",
               'member-' || (i.id % 97), 'member-' || (i.id % 89), i.detected_at + interval '2 hours',
               'Reviewed the drift diff.', i.detected_at + make_interval(mins => 30 * k)
        FROM (SELECT * FROM incidents ORDER BY random() LIMIT $1) i,
             generate_series(1, 1 + (i.id % 2)) k
        LIMIT $1`,
      values: [s.approvals],
    },
    {
      label: "artifacts (2 years)",
      text: `
        INSERT INTO artifacts (org_id, member_id, kind, title, object_key, bytes, created_at)
        SELECT org, (org - 1) * 3 + 1 + g % 3,
               (ARRAY['BLOG_POST','SOCIAL_POST','VOICEOVER_AUDIO','STORYBOARD_IMAGE','VIDEO_CLIP','VIDEO_SCRIPT'])[1 + g % 6]::"ArtifactKind",
               'Draft ' || g, 'orgs/' || org || '/artifacts/' || g || '.bin',
               (1024 * exp(random() * ln(50000)))::bigint, ${daysAgo(730)}
        FROM (SELECT g, ${SKEWED_ORG} AS org FROM generate_series(1, $2::int) g) a`,
      values: [orgs, s.artifacts],
    },
    {
      label: "image analyses",
      text: `
        INSERT INTO image_analyses (org_id, artifact_id, result, created_at)
        SELECT org_id, id, jsonb_build_object('labels', jsonb_build_array('person', 'sky'), 'score', 0.93),
               created_at + interval '1 minute'
        FROM artifacts WHERE kind = 'STORYBOARD_IMAGE'`,
    },
    {
      label: "memory items",
      text: `
        INSERT INTO memory_items (org_id, type, content, created_at)
        SELECT ${SKEWED_ORG}, (${MEMORY_TYPES})[1 + g % 9],
               'Remember that the brand voice is warm and direct; note ' || g, ${daysAgo(365)}
        FROM generate_series(1, $2::int) g`,
      values: [orgs, s.memoryItems],
    },
    {
      label: "scene iterations",
      text: `
        INSERT INTO scene_iterations (org_id, scene_id, iteration, data, created_at)
        SELECT ${SKEWED_ORG}, 'scene-' || (g % 5000), 1 + g % 12,
               jsonb_build_object('prompt', 'A wide shot at dusk', 'seed', g), ${daysAgo(365)}
        FROM generate_series(1, $2::int) g`,
      values: [orgs, s.sceneIterations],
    },
    {
      // Roughly one backup a day per environment, more on busy ones.
      label: "backups",
      text: `
        INSERT INTO backups (org_id, environment_id, object_key, bytes, created_at)
        SELECT org, env, 'orgs/' || org || '/backups/' || g || '.dump',
               (100000000 * (1 + random() * 20))::bigint, now() - make_interval(days => g % 60, hours => env % 24)
        FROM ${orgAndEnv("$3", perOrg)} b`,
      values: [orgs, envs, s.backups],
    },
    {
      label: "task queue entries",
      text: `
        INSERT INTO task_queue_entries (org_id, type, status, created_at, finished_at)
        SELECT org, (ARRAY['render','transcribe','publish','analyze'])[1 + g % 4], status::"TaskQueueStatus",
               at, CASE WHEN status IN ('COMPLETED', 'CANCELLED', 'FAILED') THEN at + interval '5 minutes' END
        FROM (
          SELECT g, ${SKEWED_ORG} AS org, ${daysAgo(60)} AS at,
                 (ARRAY['COMPLETED','COMPLETED','COMPLETED','COMPLETED','COMPLETED','FAILED','CANCELLED','QUEUED','RUNNING'])[1 + g % 9] AS status
          FROM generate_series(1, $2::int) g
        ) t`,
      values: [orgs, s.taskQueueEntries],
    },
    {
      label: "errors",
      text: `
        INSERT INTO errors (org_id, fingerprint, message, created_at, resolved_at)
        SELECT org, 'fp-' || (g % 2000), 'TypeError: cannot read properties of undefined (#' || (g % 2000) || ')',
               at, CASE WHEN g % 5 <> 0 THEN at + interval '1 day' END
        FROM (SELECT g, ${SKEWED_ORG} AS org, ${daysAgo(180)} AS at FROM generate_series(1, $2::int) g) e`,
      values: [orgs, s.errors],
    },
    {
      label: "prompts",
      text: `
        INSERT INTO prompts (org_id, name, body, created_at, archived_at)
        SELECT ${SKEWED_ORG}, 'prompt-' || g, 'Write a short post about the launch, in the brand voice.',
               at, CASE WHEN g % 10 = 0 THEN least(now(), at + interval '20 days') END
        FROM (SELECT g, ${daysAgo(365)} AS at FROM generate_series(1, $2::int) g) p`,
      values: [orgs, s.prompts],
    },
  ];
}
