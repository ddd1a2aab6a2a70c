import type { Plan, RetentionCategory } from "../../generated/prisma/enums";
import { NOTICE_PERIOD_DEFAULTS } from "../policy/defaults";
import type { PolicyEnv } from "../policy/effective-window";
import { sql, type Sql, type Tx } from "../sql";
import { LEAD_DAYS } from "./settings";
import { noticeCategories } from "./told-categories";

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

/** When notice `n` was first told: its first delivery SENT; null until one is. */
const FIRST_TOLD = sql`(SELECT min(d.sent_at) FROM notice_deliveries d
  WHERE d.notice_id = n.id AND d.status = 'SENT')`;

/** Whether the export notice `n` links to is still queued or being built. */
const EXPORT_PENDING = sql`EXISTS (SELECT 1 FROM exports x
  WHERE x.notice_id = n.id::text AND x.status IN ('QUEUED', 'BUILDING'))`;

/**
 * What notices already sent keep, whatever the org's plan or settings are
 * now: per org and category, the start of the earliest notice still
 * holding what it told of at `asOf`. A notice holds (1) while it promised
 * a notice period, until its first delivery plus its lead days, and (2)
 * while the export it links to is queued or being built, for at most its
 * lead days from its writing, so the tenant's download holds what a run
 * would delete. Only items aged before it may go.
 */
const stillHolding = (orgIds: number[], told: string[], asOf: Date) => sql`
  SELECT nc.org_id, nc.category,
         greatest(min(coalesce(nc.watermark_from, '-infinity')), ${TOLD_NOTHING}::timestamptz) AS cutoff
  FROM notice_categories nc JOIN notices n ON n.id = nc.notice_id
  WHERE nc.org_id = ANY(${orgIds}::int[]) AND nc.category::text = ANY(${told}::text[])
    AND n.created_at > ${asOf}::timestamptz - make_interval(days => ${LEAD_DAYS.max})
    AND ((n.notice_period
          AND ${FIRST_TOLD} + make_interval(days => n.lead_days) > ${asOf}::timestamptz)
      OR (n.created_at + make_interval(days => n.lead_days) > ${asOf}::timestamptz
          AND ${EXPORT_PENDING}))
  GROUP BY nc.org_id, nc.category`;

/**
 * The notice period at `asOf`: for each org on a plan that promises one and
 * that hears (a webhook or recipients), and each category a notice tells
 * of, how far its told notices (a delivery SENT) reach in an unbroken run
 * of notices each told at least its own lead time before `asOf`: the
 * greatest watermark among those, but never past the start of a told
 * notice whose lead time has not passed (a later notice with a shorter lead
 * must not free what an earlier, longer one promised to keep). For every
 * org, never past what its notices still hold (`stillHolding` above). Only items
 * aged before the cutoff may go; an org with neither has none.
 */
export async function loadNoticeCutoffs(
  db: Tx,
  orgs: { id: number; plan: Plan }[],
  policy: PolicyEnv,
  categories: RetentionCategory[],
  asOf: Date,
): Promise<NoticeCutoffRow[]> {
  const told = categories.filter((c) => noticeKeys().includes(c));
  if (orgs.length === 0 || told.length === 0) return [];
  const held = orgs.filter((o) => noticePeriodOn(policy, o.plan)).map((o) => o.id);
  type Row = { org_id: number; category: RetentionCategory; cutoff: Date };
  const periods =
    held.length === 0
      ? []
      : await db.$queryRaw<Row[]>(sql`
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
               ${FIRST_TOLD} + make_interval(days => n.lead_days) AS held_until
        FROM notice_categories nc JOIN notices n ON n.id = nc.notice_id
        WHERE nc.org_id = s.org_id AND nc.category = c.category::"RetentionCategory") r
      WHERE r.held_until IS NOT NULL
      HAVING count(*) FILTER (WHERE r.held_until <= ${asOf}::timestamptz) > 0
    ) t ON true
    WHERE s.org_id = ANY(${held}::int[])
      AND (s.webhook_url IS NOT NULL OR cardinality(s.recipients) > 0)`);
  const holding = await db.$queryRaw<Row[]>(
    stillHolding(
      orgs.map((o) => o.id),
      told,
      asOf,
    ),
  );
  const cutoffs = new Map<string, Row>();
  for (const row of [...periods, ...holding]) {
    const key = `${row.org_id}:${row.category}`;
    const before = cutoffs.get(key);
    if (!before || row.cutoff < before.cutoff) cutoffs.set(key, row);
  }
  return [...cutoffs.values()].map((r) => [r.org_id, r.category, r.cutoff.toISOString()]);
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

/** What keeps one item past its policy date after a notice (`noticePeriodUntil`). */
export type NoticeHold = {
  until: Date;
  /** When its notice was first delivered; null if not yet. */
  told: Date | null;
  /** Kept while its notice's export is built, not by a notice period. */
  forExport: boolean;
};

/**
 * Until when a notice keeps one item, as `loadNoticeCutoffs` decides for a
 * run: the notice period of an org that hears on a plan that promises one
 * (its notice's first delivery plus the notice's lead days; not told yet,
 * the earliest a notice written today could allow: now + the org's lead
 * days), or of a notice that promised one whatever the org's plan or
 * settings are now; else, while its notice's export is queued or being
 * built, that notice's writing plus its lead days. Null where nothing does.
 */
export async function noticePeriodUntil(
  db: Tx,
  policy: PolicyEnv,
  org: { id: number; plan: Plan },
  category: RetentionCategory,
  agedAt: Date,
  now: Date,
): Promise<NoticeHold | null> {
  if (!noticeKeys().includes(category)) return null;
  const settings = await db.noticeSettings.findUnique({ where: { orgId: org.id } });
  const period =
    noticePeriodOn(policy, org.plan) &&
    !!settings &&
    (!!settings.webhookUrl || settings.recipients.length > 0);
  const [notice] = await db.$queryRaw<
    {
      told: Date | null;
      lead_days: number;
      notice_period: boolean;
      created_at: Date;
      export_pending: boolean;
    }[]
  >(sql`
    SELECT ${FIRST_TOLD} AS told, n.lead_days, n.notice_period, n.created_at,
           ${EXPORT_PENDING} AS export_pending
    FROM notice_categories nc JOIN notices n ON n.id = nc.notice_id
    WHERE nc.org_id = ${org.id} AND nc.category = ${category}::"RetentionCategory"
      AND ${agedAt}::timestamptz >= coalesce(nc.watermark_from, '-infinity'::timestamptz)
      AND ${agedAt}::timestamptz < nc.watermark_to
    ORDER BY n.created_at LIMIT 1`);
  if (notice?.told && (period || notice.notice_period))
    return {
      until: new Date(notice.told.getTime() + notice.lead_days * DAY_MS),
      told: notice.told,
      forExport: false,
    };
  if (notice?.export_pending)
    return {
      until: new Date(notice.created_at.getTime() + notice.lead_days * DAY_MS),
      told: notice.told,
      forExport: true,
    };
  if (period && settings)
    return {
      until: new Date(now.getTime() + settings.leadDays * DAY_MS),
      told: null,
      forExport: false,
    };
  return null;
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
