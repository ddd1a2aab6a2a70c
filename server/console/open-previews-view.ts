import type { Db } from "../db";
import type { Actor } from "../retention/evidence/audit-log";
import { listOpenPreviews } from "../retention/plan/open-previews";
import { planningProgress } from "../retention/plan/planning-progress";

/** One's open previews as the Dry run page lists them: one still planning with its progress. */
export async function openPreviewsView(db: Db, person: Exclude<Actor, "system">, now: Date) {
  const plans = await listOpenPreviews(db, person, now);
  return Promise.all(
    plans.map(async (plan) => ({
      ...plan,
      progress: plan.status === "PLANNING" ? await planningProgress(db, plan.id) : null,
    })),
  );
}
