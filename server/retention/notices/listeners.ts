import type { Plan } from "../../generated/prisma/enums";
import { sql, type Tx } from "../sql";

/** An org that hears: its notice settings as the daily notice needs them. */
export type Listener = {
  id: number;
  plan: Plan;
  name: string;
  leadDays: number;
  webhook: boolean;
  email: boolean;
};

/**
 * Orgs with a webhook or recipients and no notice for `day` yet, by id
 * after `after`: a round of the daily notice.
 */
export async function orgsToTell(
  db: Tx,
  day: string,
  after: number,
  limit: number,
): Promise<Listener[]> {
  const rows = await db.$queryRaw<
    {
      id: number;
      plan: Plan;
      name: string;
      lead_days: number;
      webhook: boolean;
      email: boolean;
    }[]
  >(sql`
    SELECT o.id, o.plan, o.name, s.lead_days,
           s.webhook_url IS NOT NULL AS webhook, cardinality(s.recipients) > 0 AS email
    FROM notice_settings s JOIN organizations o ON o.id = s.org_id
    WHERE s.org_id > ${after}
      AND (s.webhook_url IS NOT NULL OR cardinality(s.recipients) > 0)
      AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.org_id = s.org_id AND n.day = ${day}::date)
    ORDER BY o.id
    LIMIT ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    plan: r.plan,
    name: r.name,
    leadDays: r.lead_days,
    webhook: r.webhook,
    email: r.email,
  }));
}
