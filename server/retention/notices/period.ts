import type { Plan, RetentionCategory } from "../../generated/prisma/enums";
import { NOTICE_PERIOD_DEFAULTS } from "../policy/defaults";
import type { PolicyEnv } from "../policy/effective-window";
import { sql, type Sql, type Tx } from "../sql";
import { noticeCategories } from "./compose";

/** The categories a notice tells of, the only ones a notice period holds. */
const noticeKeys = () => noticeCategories().map((c) => c.key);

/** Whether the plan promises a notice period: NOTICE_PERIOD_<PLAN>, else the default. */
export function noticePeriodOn(env: PolicyEnv, plan: Plan): boolean {
  const set = env[`NOTICE_PERIOD_${plan}`];
  return typeof set === "boolean" ? set : NOTICE_PERIOD_DEFAULTS[plan];
}

/** An org × category's notice cutoff as a plan freezes it: [orgId, category, ISO instant]. */
export type NoticeCutoffRow = [number, RetentionCategory, string];

/** Before any item: an org that hears but was told nothing yet has nothing eligible. */
const TOLD_NOTHING = "1970-01-01T00:00:00.000Z";

/**
 * The notice period at `asOf`: for each org on a plan that promises one and
 * that hears (a webhook or recipients), and each category a notice tells
 * of, how far its told notices (a delivery SENT) reach in an unbroken run
 * of notices each told at least its own lead time before `asOf`: the
 * greatest watermark among those, but never past the start of a told
 * notice whose lead time has not passed (a later notice with a shorter lead
 * must not free what an earlier, longer one promised to keep). Only items
 * aged before it may go. An org without notice settings is told nothing, so
 * no period holds it.
 */
export async function loadNoticeCutoffs(
  db: Tx,
  orgs: { id: number; plan: Plan }[],
  policy: PolicyEnv,
  categories: RetentionCategory[],
  asOf: Date,
): Promise<NoticeCutoffRow[]> {
  const held = orgs.filter((o) => noticePeriodOn(policy, o.plan)).map((o) => o.id);
  const told = categories.filter((c) => noticeKeys().includes(c));
  if (held.length === 0 || told.length === 0) return [];
  const rows = await db.$queryRaw<{ org_id: number; category: RetentionCategory; cutoff: Date }[]>(
    sql`
    SELECT s.org_id, c.category::"RetentionCategory" AS category,
           greatest(t.cutoff, ${TOLD_NOTHING}::timestamptz) AS cutoff
    FROM notice_settings s
    CROSS JOIN unnest(${told}::text[]) AS c(category)
    LEFT JOIN LATERAL (
      SELECT least(max(r.watermark_to) FILTER (WHERE r.held_until <= ${asOf}::timestamptz),
                   min(coalesce(r.watermark_from, '-infinity'))
                     FILTER (WHERE r.held_until > ${asOf}::timestamptz)) AS cutoff
      FROM (
        SELECT nc.watermark_from, nc.watermark_to,
               (SELECT min(d.sent_at) FROM notice_deliveries d
                WHERE d.notice_id = n.id AND d.status = 'SENT') + make_interval(days => n.lead_days) AS held_until
        FROM notice_categories nc JOIN notices n ON n.id = nc.notice_id
        WHERE nc.org_id = s.org_id AND nc.category = c.category::"RetentionCategory") r
      WHERE r.held_until IS NOT NULL
      HAVING count(*) FILTER (WHERE r.held_until <= ${asOf}::timestamptz) > 0
    ) t ON true
    WHERE s.org_id = ANY(${held}::int[])
      AND (s.webhook_url IS NOT NULL OR cardinality(s.recipients) > 0)`,
  );
  return rows.map((r) => [r.org_id, r.category, r.cutoff.toISOString()]);
}

/** Looks a notice cutoff up by org and category; undefined where no notice period holds. */
export function noticeCutoffLookup(rows: NoticeCutoffRow[] | undefined) {
  const byPair = new Map((rows ?? []).map(([org, category, at]) => [`${org}:${category}`, at]));
  return (orgId: number, category: RetentionCategory) => {
    const at = byPair.get(`${orgId}:${category}`);
    return at === undefined ? undefined : new Date(at);
  };
}

export type NoticeCutoffs = ReturnType<typeof noticeCutoffLookup>;

const DAY_MS = 86_400_000;

/**
 * Until when the notice period holds one item of an org that hears, on a
 * plan that promises one: its notice's first delivery plus the notice's
 * lead days; not told yet, the earliest a notice written today could allow
 * (now + the org's lead days). Null where no period holds it.
 */
export async function noticePeriodUntil(
  db: Tx,
  policy: PolicyEnv,
  org: { id: number; plan: Plan },
  category: RetentionCategory,
  agedAt: Date,
  now: Date,
): Promise<{ until: Date; told: Date | null } | null> {
  if (!noticePeriodOn(policy, org.plan) || !noticeKeys().includes(category)) return null;
  const settings = await db.noticeSettings.findUnique({ where: { orgId: org.id } });
  if (!settings || (!settings.webhookUrl && settings.recipients.length === 0)) return null;
  const [notice] = await db.$queryRaw<{ told: Date | null; lead_days: number }[]>(sql`
    SELECT (SELECT min(d.sent_at) FROM notice_deliveries d
            WHERE d.notice_id = n.id AND d.status = 'SENT') AS told, n.lead_days
    FROM notice_categories nc JOIN notices n ON n.id = nc.notice_id
    WHERE nc.org_id = ${org.id} AND nc.category = ${category}::"RetentionCategory"
      AND ${agedAt}::timestamptz >= coalesce(nc.watermark_from, '-infinity'::timestamptz)
      AND ${agedAt}::timestamptz < nc.watermark_to
    ORDER BY n.created_at LIMIT 1`);
  if (notice?.told)
    return {
      until: new Date(notice.told.getTime() + notice.lead_days * DAY_MS),
      told: notice.told,
    };
  return { until: new Date(now.getTime() + settings.leadDays * DAY_MS), told: null };
}

/**
 * For the forecast: the orgs a notice period holds in this category, as a
 * relation (org_id, lead_days) to LEFT JOIN as `p` (hashed once, never an
 * array searched per item), and an item's day under it, an SQL timestamptz
 * over the eligible row `e`: its notice's first delivery plus the notice's
 * lead days, or, not told yet, `asOf` plus the org's lead days (the
 * earliest a notice written now allows); null where no period holds it.
 * Null when no org of `held` (on a plan that promises one) can be held.
 */
export function periodDaySql(
  category: RetentionCategory,
  held: number[],
  asOf: Date,
): { hearing: Sql; day: Sql } | null {
  if (held.length === 0 || !noticeKeys().includes(category)) return null;
  return {
    hearing: sql`(
      SELECT s.org_id, s.lead_days FROM notice_settings s
      WHERE s.org_id = ANY(${held}::int[])
        AND (s.webhook_url IS NOT NULL OR cardinality(s.recipients) > 0))`,
    day: sql`CASE WHEN p.org_id IS NOT NULL THEN coalesce(
      (SELECT min(d.sent_at) + make_interval(days => n.lead_days)
       FROM notice_categories nc JOIN notices n ON n.id = nc.notice_id
       JOIN notice_deliveries d ON d.notice_id = n.id AND d.status = 'SENT'
       WHERE nc.org_id = e.org_id AND nc.category = ${category}::"RetentionCategory"
         AND e.aged_at >= coalesce(nc.watermark_from, '-infinity'::timestamptz)
         AND e.aged_at < nc.watermark_to
       GROUP BY n.id, n.lead_days LIMIT 1),
      ${asOf}::timestamptz + make_interval(days => p.lead_days)) END`,
  };
}
