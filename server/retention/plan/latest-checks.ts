import { latestChecksOf } from "../categories/drift-checks";
import { sql, type Tx } from "../sql";

/**
 * A LATEST_CHECKS step: the latest check of each environment of its orgs,
 * kept for the plan's ranges of drift checks. Each range of check ids holds
 * checks of nearly every environment of the fleet, so finding the latest
 * ones again in every range probed every environment once a range (90,000
 * probes, 0.7 s, a range at 30,000 orgs); the ranges now read these rows.
 */
export async function writeLatestChecks(tx: Tx, planId: string, orgIds: number[]) {
  await tx.$executeRaw(sql`
    INSERT INTO plan_latest_checks (plan_id, environment_id, check_id)
    SELECT ${planId}, l.environment_id, l.latest_id
    FROM (${latestChecksOf(sql`(SELECT unnest(${orgIds}::int[]) AS org_id)`)}) l`);
}

/** The latest checks a plan's LATEST_CHECKS steps found, as the drift checks' rule reads them. */
export const foundLatestChecks = (planId: string) => sql`
  SELECT environment_id, check_id AS latest_id FROM plan_latest_checks WHERE plan_id = ${planId}`;

/** Once its planning is done a plan no longer needs them: its items record each check's newer one. */
export async function dropLatestChecks(tx: Tx, planId: string) {
  await tx.$executeRaw(sql`DELETE FROM plan_latest_checks WHERE plan_id = ${planId}`);
}
