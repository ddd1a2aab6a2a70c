import { grantAppRole, roleOf } from "../server/db-roles";
import { appLog } from "../server/log";
import { installPurgeQueue } from "../server/retention/run/queue-setup";
import { migrateDeploy } from "./prisma-cli";

/**
 * Brings a database up to date as its owner: Prisma's migrations, the
 * queue's schema, then the app's role granted what it may do (when the app
 * signs in as a role of its own). Every step is idempotent.
 */
export async function migrateDatabase(urls: { ownerUrl: string; appUrl?: string }) {
  await migrateDeploy(urls.ownerUrl);
  await installPurgeQueue(urls.ownerUrl, appLog());
  const appRole = urls.appUrl ? roleOf(urls.appUrl) : null;
  const separate = appRole !== null && appRole !== roleOf(urls.ownerUrl);
  if (separate) await grantAppRole(urls.ownerUrl, appRole);
  return { appRole: separate ? appRole : null };
}
