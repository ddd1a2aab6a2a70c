import { roleOf } from "../server/db-roles";
import { migrateDatabase } from "./migrate-database";
import { runCli } from "./cli";

const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

/**
 * A failed migration in one line an operator can act on; Prisma's whole
 * output stays on the error's cause (LOG_LEVEL=debug prints it).
 */
function migrationFailure(error: unknown, ownerUrl: string) {
  const output = error instanceof Error ? error.message : String(error);
  const role = roleOf(ownerUrl);
  if (/permission denied for schema|must be owner of/.test(output))
    return new Error(
      `The role "${role}" of MIGRATION_DATABASE_URL may not create or change Lethe's tables: migrations run as the database's owner (README: Production, steps 1 and 2).`,
      { cause: error },
    );
  const said = output
    .split("\n")
    .map((line) => line.trim())
    .find((line) => /^Error\b/.test(line) && line.length > "Error:".length);
  return new Error(
    `npm run db:migrate failed as "${role}": ${said ?? output.split("\n")[0]} (LOG_LEVEL=debug prints Prisma's whole output)`,
    { cause: error },
  );
}

/**
 * `npm run db:migrate`: applies migrations as the owner (MIGRATION_DATABASE_URL,
 * or DATABASE_URL when the app has no role of its own) and grants the role
 * of DATABASE_URL what the app may do, in the same database.
 */
async function main() {
  const appUrl = process.env.DATABASE_URL;
  const ownerUrl = process.env.MIGRATION_DATABASE_URL ?? appUrl;
  if (!ownerUrl)
    throw new Error(
      "Set DATABASE_URL (the app's role) and MIGRATION_DATABASE_URL (the owner that runs migrations).",
    );
  // Hosts may differ (a pooler for the app, the server itself for migrations); the database may not.
  if (appUrl && databaseOf(appUrl) !== databaseOf(ownerUrl))
    throw new Error(
      `DATABASE_URL names the database "${databaseOf(appUrl)}" and MIGRATION_DATABASE_URL "${databaseOf(ownerUrl)}": both must name the one database Lethe governs, as two roles. Nothing was changed.`,
    );
  const { appRole } = await migrateDatabase({ ownerUrl, appUrl }).catch((error: unknown) => {
    throw migrationFailure(error, ownerUrl);
  });
  console.log(
    appRole
      ? `Migrations applied. Role "${appRole}" may read and write Lethe's tables, and only add to and read the audit log.`
      : "Migrations applied. The app signs in as the owner: set MIGRATION_DATABASE_URL to the owner and DATABASE_URL to a role of the app's own (README: Production); a production server refuses to start otherwise.",
  );
}

runCli(main);
