import type { Db } from "../db";
import type { Plan, RetentionCategory } from "../generated/prisma/enums";
import type { RowCategory } from "./categories/category";
import { addDays, cutoffFor, effectiveWindow, type PolicyEnv } from "./policy";
import type { OrgWindow } from "./sql";

export type ScopedOrg = { id: number; plan: Plan; name: string };

/** Each org's override per category, as the policy reads them. */
export async function loadOverrides(db: Db, orgIds: number[] | null) {
  const rows = await db.retentionOverride.findMany({
    where: orgIds ? { orgId: { in: orgIds } } : undefined,
    select: { orgId: true, category: true, days: true },
  });
  const byOrg = new Map<string, number | null>();
  for (const r of rows) byOrg.set(`${r.orgId}:${r.category}`, r.days);
  return (orgId: number, category: RetentionCategory) => {
    const key = `${orgId}:${category}`;
    return byOrg.has(key) ? (byOrg.get(key) ?? null) : undefined;
  };
}

export type OverrideLookup = Awaited<ReturnType<typeof loadOverrides>>;

/**
 * Every org's frozen window for one category at `asOf` (shifted forward by
 * `horizonDays` for a forecast). Orgs whose window is unlimited, or whose
 * plan has no such data, are left out: nothing of theirs is ever eligible.
 * Backups age by displacement, not days: their cutoff is `asOf` itself.
 */
export function windowsFor(
  category: RowCategory | { key: RetentionCategory; keepsNewest?: boolean },
  orgs: ScopedOrg[],
  policy: PolicyEnv,
  overrides: OverrideLookup,
  asOf: Date,
  horizonDays = 0,
): OrgWindow[] {
  const until = addDays(asOf, horizonDays);
  if (category.keepsNewest) return orgs.map((o) => ({ orgId: o.id, days: 0, cutoff: until }));
  const windows: OrgWindow[] = [];
  for (const org of orgs) {
    const window = effectiveWindow(org.plan, category.key, policy, overrides(org.id, category.key));
    if (!window || window.days === null) continue;
    windows.push({ orgId: org.id, days: window.days, cutoff: cutoffFor(until, window.days) });
  }
  return windows;
}
