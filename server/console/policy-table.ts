import type { Db } from "../db";
import { CATEGORIES } from "../retention/categories";
import type { EngineSettings } from "../retention/deps";
import { PLANS } from "../retention/policy/defaults";
import { backupKeep, overrideBounds, planWindow } from "../retention/policy/effective-window";

/** The plan × category table of effective windows, marking what the environment changed. */
export function policyTable(settings: EngineSettings) {
  return {
    categories: CATEGORIES.filter((c) => c.key !== "BACKUPS").map((c) => ({
      category: c.key,
      label: c.label,
      agedBy: c.agedBy,
      action: c.action,
      plans: PLANS.map((plan) => {
        const window = planWindow(plan, c.key, settings.policy);
        return {
          plan,
          days: window ? window.days : undefined,
          source: window?.source ?? null,
          bounds: overrideBounds(plan, c.key, settings.policy),
        };
      }),
    })),
    backupKeep: backupKeep(settings.policy),
  };
}

/** Every org's override of a category, with the floor and ceiling it must respect. */
export async function listOverrides(db: Db, settings: EngineSettings) {
  const rows = await db.retentionOverride.findMany({
    include: { org: { select: { name: true, plan: true } } },
    orderBy: [{ orgId: "asc" }, { category: "asc" }],
  });
  return rows.map((r) => ({
    orgId: r.orgId,
    orgName: r.org.name,
    plan: r.org.plan,
    category: r.category,
    days: r.days,
    reason: r.reason,
    updatedAt: r.updatedAt,
    bounds: overrideBounds(r.org.plan, r.category, settings.policy),
  }));
}

/** The floor and ceiling an org's override of each category must respect. */
export async function orgOverrideBounds(db: Db, settings: EngineSettings, orgId: number) {
  const org = await db.organization.findUniqueOrThrow({
    where: { id: orgId },
    select: { plan: true },
  });
  return policyTable(settings).categories.map((c) => ({
    category: c.category,
    bounds: overrideBounds(org.plan, c.category, settings.policy),
  }));
}
