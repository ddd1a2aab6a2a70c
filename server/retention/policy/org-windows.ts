import type { Plan, RetentionCategory } from "../../generated/prisma/enums";
import type { RowCategory } from "../categories/category";
import { addDays, cutoffFor, effectiveWindow, type PolicyEnv } from "./effective-window";
import { sql, type Sql, type Tx } from "../sql";
import type { NoticeCutoffs } from "../notices/period";

/** GDPR erasure takes everything: a cutoff no item can be younger than. */
export const END_OF_TIME = new Date("9999-12-31T00:00:00Z");

/**
 * One org's frozen window of a category: its days, the cutoff rows are
 * aged against (those aged before it are eligible; a notice period lowers
 * it), and the moment it was frozen at (the plan's as-of, the forecast's
 * day), at which pins are read: an erasure's is the end of time, so no pin
 * stops it.
 */
export type OrgWindow = { orgId: number; days: number; cutoff: Date; asOf: Date };

/**
 * The relation (org_id, days, cutoff, as_of) that every category joins its rows
 * with. Orgs under an active legal hold drop out here, so no category can
 * forget them; the check runs again inside every purge batch.
 *
 * org_id comes from the organizations table, not from the array: the
 * planner then knows it is unique and how rows spread over it, so a
 * fleet-wide query hashes these few thousand windows and scans the big
 * table once, instead of sorting millions of rows to merge-join them.
 * Fleet-wide callers must not MATERIALIZE it, which would hide those
 * statistics. A purge batch, whose few windows would otherwise be looked up
 * again for each of its rows, does.
 */
export function windowsRelation(windows: OrgWindow[]): Sql {
  const orgIds = windows.map((w) => w.orgId);
  const days = windows.map((w) => w.days);
  const cutoffs = windows.map((w) => w.cutoff.toISOString());
  const moments = windows.map((w) => w.asOf.toISOString());
  return sql`(
    SELECT o.id AS org_id, u.days, u.cutoff, u.as_of
    FROM unnest(${orgIds}::int[], ${days}::int[], ${cutoffs}::timestamptz[], ${moments}::timestamptz[])
      AS u(org_id, days, cutoff, as_of)
    JOIN organizations o ON o.id = u.org_id
    WHERE NOT EXISTS (
      SELECT 1 FROM legal_holds h
      WHERE h.org_id = u.org_id AND h.scope = 'ORG' AND h.released_at IS NULL
    )
  )`;
}

export type ScopedOrg = { id: number; plan: Plan; name: string };

export type OverrideRow = { orgId: number; category: RetentionCategory; days: number | null };

/** Each org's override per category, as the policy reads them. */
export async function loadOverrides(db: Tx, orgIds: number[] | null) {
  return overrideLookup(await loadOverrideRows(db, orgIds));
}

/** The overrides of these orgs (null: all), as stored. */
export const loadOverrideRows = (db: Tx, orgIds: number[] | null): Promise<OverrideRow[]> =>
  db.retentionOverride.findMany({
    where: orgIds ? { orgId: { in: orgIds } } : undefined,
    select: { orgId: true, category: true, days: true },
  });

/** Looks overrides up by org and category: a number, null (unlimited), or undefined (none). */
export function overrideLookup(rows: OverrideRow[]) {
  const byOrg = new Map<string, number | null>();
  for (const r of rows) byOrg.set(`${r.orgId}:${r.category}`, r.days);
  return (orgId: number, category: RetentionCategory) => {
    const key = `${orgId}:${category}`;
    return byOrg.has(key) ? (byOrg.get(key) ?? null) : undefined;
  };
}

export type OverrideLookup = ReturnType<typeof overrideLookup>;

/**
 * Every org's frozen window for one category at `asOf` (shifted forward by
 * `horizonDays` for a forecast). Orgs whose window is unlimited, or whose
 * plan has no such data, are left out: nothing of theirs is ever eligible.
 * Backups age by displacement, not days: their cutoff is `asOf` itself.
 * With `notices`, an org × category under a notice period gets the earlier
 * of its window's cutoff and its notice cutoff (notices/period.ts).
 */
export function windowsFor(
  category: RowCategory | { key: RetentionCategory; keepsNewest?: boolean },
  orgs: ScopedOrg[],
  policy: PolicyEnv,
  overrides: OverrideLookup,
  asOf: Date,
  horizonDays = 0,
  notices?: NoticeCutoffs,
): OrgWindow[] {
  const until = addDays(asOf, horizonDays);
  if (category.keepsNewest)
    return orgs.map((o) => ({ orgId: o.id, days: 0, cutoff: until, asOf: until }));
  const windows: OrgWindow[] = [];
  for (const org of orgs) {
    const window = effectiveWindow(org.plan, category.key, policy, overrides(org.id, category.key));
    if (!window || window.days === null) continue;
    const cutoff = cutoffFor(until, window.days);
    const told = notices?.(org.id, category.key);
    windows.push({
      orgId: org.id,
      days: window.days,
      cutoff: told && told < cutoff ? told : cutoff,
      asOf: until,
    });
  }
  return windows;
}
