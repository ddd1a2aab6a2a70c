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
