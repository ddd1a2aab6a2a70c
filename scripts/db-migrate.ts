import { migrateDatabase } from "./migrate-database";
import { runCli } from "./cli";

/**
 * `npm run db:migrate`: applies migrations as the owner (MIGRATION_DATABASE_URL,
 * or DATABASE_URL when the app has no role of its own) and grants the role
 * of DATABASE_URL what the app may do.
 */
async function main() {
  const appUrl = process.env.DATABASE_URL;
  const ownerUrl = process.env.MIGRATION_DATABASE_URL ?? appUrl;
  if (!ownerUrl)
    throw new Error(
      "Set DATABASE_URL (the app's role) and MIGRATION_DATABASE_URL (the owner that runs migrations).",
    );
  const { appRole } = await migrateDatabase({ ownerUrl, appUrl });
  console.log(
    appRole
      ? `Migrations applied. Role "${appRole}" may read and write Lethe's tables, and only add to and read the audit log.`
      : "Migrations applied. The app signs in as the owner: set MIGRATION_DATABASE_URL to the owner and DATABASE_URL to a role of the app's own (README: Production); a production server refuses to start otherwise.",
  );
}

runCli(main);
