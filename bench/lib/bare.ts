import { driftChecks } from "../../server/retention/categories/drift-checks";
import type { Db } from "../../server/db";
import { sql, type Sql } from "../../server/retention/sql";
import { windowsRelation } from "../../server/retention/policy/org-windows";
import { loadOverrides, windowsFor } from "../../server/retention/policy/org-windows";

/** Every org's drift-check window as of `asOf`, as the engine's dry run computes it. */
export async function fleetWindows(db: Db, asOf: Date): Promise<Sql> {
  const orgs = await db.organization.findMany({ select: { id: true, plan: true, name: true } });
  return windowsRelation(windowsFor(driftChecks, orgs, {}, await loadOverrides(db, null), asOf));
}

/**
 * The bare statement's predicate on check `t` and window `w`: past its
 * org's window, and never an environment's latest (a newer check exists).
 */
export const BARE_ELIGIBLE = sql`
  t.org_id = w.org_id AND t.checked_at < w.cutoff
  AND EXISTS (SELECT 1 FROM drift_checks n WHERE n.environment_id = t.environment_id
              AND (n.checked_at, n.id) > (t.checked_at, t.id))`;
