import type { Db } from "./db";
import { AppError } from "./errors";
import { SHIPPED_MIGRATIONS } from "./generated/migrations";

/** The database's migrations against this build's. */
export type MigrationState = {
  /** Shipped by this build, not applied: its code would meet tables it does not expect. */
  missing: string[];
  /** Applied, and later than any this build ships: a newer build migrated the database. */
  newer: string[];
};

export async function migrationState(db: Db): Promise<MigrationState> {
  const [table] = await db.$queryRaw<{ found: boolean }[]>`
    SELECT to_regclass('_prisma_migrations') IS NOT NULL AS found`;
  const rows = table?.found
    ? await db.$queryRaw<{ name: string }[]>`
        SELECT migration_name AS name FROM _prisma_migrations
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`
    : [];
  const applied = new Set(rows.map((r) => r.name));
  const latest = SHIPPED_MIGRATIONS.at(-1) ?? "";
  return {
    missing: SHIPPED_MIGRATIONS.filter((name) => !applied.has(name)),
    newer: [...applied].filter((name) => name > latest).sort(),
  };
}

/** What a process of this build says when the database is migrated further than it knows. */
export const newerProblem = (newer: string[]) =>
  `the database was migrated by a newer Lethe (${newer.join(", ")}): this build's code does not match its tables, so it deletes nothing; run the build that migrated it`;

/**
 * A server or worker starts only on a database migrated as far as its
 * build: behind, its code would fail (or purge) on tables it does not
 * expect. Ahead is refused where deletions run, by `refuseIfNewer` (a
 * worker at each round, each cron delivery), so that a console rolled back
 * to the build before still serves. A migration older than the build's
 * latest that it does not ship (one retired) is not in question.
 */
export async function migrationProblems(db: Db, where: string): Promise<string[]> {
  const { missing } = await migrationState(db);
  if (missing.length > 0)
    return [
      `the database at DATABASE_URL (${where}) lacks ${missing.length === SHIPPED_MIGRATIONS.length ? "Lethe's tables" : `${missing.length} of this build's migrations (the latest ${missing.at(-1)})`}: run \`npm run db:migrate\` (README: Production, step 2)`,
    ];
  return [];
}

/** Throws (PRECONDITION, naming them) when a newer build has migrated the database. */
export async function refuseIfNewer(db: Db) {
  const { newer } = await migrationState(db);
  if (newer.length > 0) throw new AppError("PRECONDITION", newerProblem(newer));
}
