import type { Db } from "../db";
import { sql } from "../retention/sql";

/** How many held orgs a plan's page names; the rest are counted. */
const LISTED = 10;

/**
 * The orgs of a plan's scope that an org-wide legal hold left out of it: a
 * hold in force when its planning began, or placed before it was planned
 * (every planning step leaves out the orgs held when it runs). Without this
 * a preview or run reads "all 40 orgs" and lists 36, silently. An erasure's
 * plan has none: an org-wide hold refuses the erasure itself.
 */
export async function heldOutOrgs(db: Db, planId: string) {
  const sorted = (await heldOutByPlan(db, [planId])).get(planId) ?? [];
  return {
    count: sorted.length,
    listed: sorted
      .slice(0, LISTED)
      .map((r) => ({ orgId: r.org_id, orgName: r.org_name, holdId: r.hold_id })),
  };
}

/** The held-out orgs of each of these plans (heldOutOrgs), by name, in one statement. */
export async function heldOutByPlan(db: Db, planIds: string[]) {
  const rows = await db.$queryRaw<
    { plan_id: string; org_id: number; org_name: string; hold_id: number }[]
  >(sql`
    SELECT DISTINCT ON (p.id, o.id) p.id AS plan_id, o.id AS org_id, o.name AS org_name, h.id AS hold_id
    FROM purge_plans p
    JOIN legal_holds h ON h.scope = 'ORG'
      AND h.placed_at <= greatest(p.created_at, p.planned_at)
      AND (h.released_at IS NULL OR h.released_at > p.created_at)
    JOIN organizations o ON o.id = h.org_id
    WHERE p.id = ANY(${planIds}::text[]) AND p.erasure_id IS NULL
      AND (jsonb_typeof(p.scope -> 'orgIds') IS DISTINCT FROM 'array'
           OR h.org_id IN (SELECT jsonb_array_elements_text(p.scope -> 'orgIds')::int))
    ORDER BY p.id, o.id, h.id`);
  const byPlan = new Map<string, typeof rows>();
  for (const row of rows.sort((a, b) => a.org_name.localeCompare(b.org_name))) {
    const held = byPlan.get(row.plan_id);
    if (held) held.push(row);
    else byPlan.set(row.plan_id, [row]);
  }
  return byPlan;
}
