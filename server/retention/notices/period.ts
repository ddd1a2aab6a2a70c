import type { Plan, RetentionCategory } from "../../generated/prisma/enums";
import { NOTICE_PERIOD_DEFAULTS } from "../policy/defaults";
import type { PolicyEnv } from "../policy/effective-window";
import { sql, type Tx } from "../sql";

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
 * of, the greatest watermark among its notices told (a delivery SENT) at
 * least their lead time before `asOf`. Only items aged before it may go.
 * An org without notice settings is told nothing, so no period holds it.
 */
export async function loadNoticeCutoffs(
  db: Tx,
  orgs: { id: number; plan: Plan }[],
  policy: PolicyEnv,
  categories: RetentionCategory[],
  asOf: Date,
): Promise<NoticeCutoffRow[]> {
  const held = orgs.filter((o) => noticePeriodOn(policy, o.plan)).map((o) => o.id);
  if (held.length === 0 || categories.length === 0) return [];
  const rows = await db.$queryRaw<{ org_id: number; category: RetentionCategory; cutoff: Date }[]>(
    sql`
    SELECT s.org_id, c.category::"RetentionCategory" AS category,
           coalesce(t.cutoff, ${TOLD_NOTHING}::timestamptz) AS cutoff
    FROM notice_settings s
    CROSS JOIN unnest(${categories}::text[]) AS c(category)
    LEFT JOIN LATERAL (
      SELECT max(nc.watermark_to) AS cutoff
      FROM notice_categories nc JOIN notices n ON n.id = nc.notice_id
      WHERE nc.org_id = s.org_id AND nc.category = c.category::"RetentionCategory"
        AND (SELECT min(d.sent_at) FROM notice_deliveries d
             WHERE d.notice_id = n.id AND d.status = 'SENT')
            + make_interval(days => n.lead_days) <= ${asOf}::timestamptz
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
