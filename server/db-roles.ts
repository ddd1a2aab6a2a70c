import pg from "pg";
import { poolConfigFromUrl } from "./db-config";
import type { Db } from "./db";
import { sql } from "./retention/sql";

/** The database user a postgres:// URL signs in as. */
export const roleOf = (url: string) => poolConfigFromUrl(url).user ?? "";

/** Tables the app may run ANALYZE on after it rewrites them wholesale (PostgreSQL 17's MAINTAIN). */
const REWRITTEN_TABLES = [
  "forecast_days",
  "forecast_calendar_days",
  "forecast_totals",
  "plan_items",
];

/**
 * What the app's role may do, granted by the owner after every migration
 * (so tables a migration adds are covered): read and write the data Lethe
 * governs and its own records, use the queue, and only add to and read the
 * audit log. It owns nothing, so it can neither drop the audit log's
 * triggers nor change a table.
 */
export async function grantAppRole(ownerUrl: string, appRole: string) {
  const client = new pg.Client(poolConfigFromUrl(ownerUrl));
  await client.connect();
  try {
    const role = client.escapeIdentifier(appRole);
    const [{ version }] = (
      await client.query<{ version: number }>(
        "SELECT current_setting('server_version_num')::int AS version",
      )
    ).rows as [{ version: number }];
    await client.query("BEGIN");
    for (const schema of ["public", "pgboss"]) {
      await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
      await client.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
      );
      await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
    }
    await client.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_anchors FROM ${role}`);
    await client.query(
      `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _prisma_migrations FROM ${role}`,
    );
    if (version >= 170000) {
      await client.query(`GRANT MAINTAIN ON ${REWRITTEN_TABLES.join(", ")} TO ${role}`);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

type AuditPowers = {
  role: string;
  superuser: boolean;
  owner: boolean;
  update: boolean;
  delete: boolean;
  truncate: boolean;
};

/**
 * Why the role this process connects as could rewrite the audit log, if it
 * can: an owner (or a superuser) can drop the append-only triggers, and a
 * role with UPDATE or DELETE needs no triggers dropped to try.
 */
export async function auditLogExposure(db: Db): Promise<string | null> {
  const [powers] = await db.$queryRaw<AuditPowers[]>(sql`
    SELECT current_user::text AS role,
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
           pg_has_role(current_user, c.relowner, 'USAGE') AS owner,
           has_table_privilege('audit_log', 'UPDATE') AS update,
           has_table_privilege('audit_log', 'DELETE') AS delete,
           has_table_privilege('audit_log', 'TRUNCATE') AS truncate
    FROM pg_class c WHERE c.oid = 'audit_log'::regclass`);
  if (!powers) return "the audit log table is missing: run npm run db:migrate";
  const why = [
    powers.superuser && "is a superuser",
    powers.owner && "owns the audit log",
    powers.update && "may UPDATE it",
    powers.delete && "may DELETE from it",
    powers.truncate && "may TRUNCATE it",
  ].filter(Boolean);
  if (why.length === 0) return null;
  return (
    `DATABASE_URL signs in as "${powers.role}", which ${why.join(", ")}: the audit log could be rewritten. ` +
    "Connect the app as a role that may only INSERT and SELECT it, and run migrations as the owner " +
    "with MIGRATION_DATABASE_URL (npm run db:migrate grants the app's role; README: Production)."
  );
}
