import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, runAs, type TestDatabase } from "@/test/database";
import { appError } from "@/test/app-error";
import { runScript } from "@/test/run-script";
import { SHIPPED_MIGRATIONS } from "./generated/migrations";
import { migrationProblems, refuseIfNewer } from "./migration-check";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const LATEST = SHIPPED_MIGRATIONS.at(-1)!;
const WHERE = "db.internal:5432/lethe";
const NEWER = "99991231000000_from_a_newer_build";

describe("a database migrated as far as this build, no further and no less", () => {
  it("is served; behind, it says run db:migrate; ahead, the console serves but nothing deletes", async () => {
    expect(await migrationProblems(database.db, WHERE)).toEqual([]);

    await runAs(
      database.ownerUrl,
      `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '${LATEST}'`,
    );
    expect(await migrationProblems(database.db, WHERE)).toEqual([
      `the database at DATABASE_URL (${WHERE}) lacks 1 of this build's migrations (the latest ${LATEST}): run \`npm run db:migrate\` (README: Production, step 2)`,
    ]);
    await runAs(
      database.ownerUrl,
      `UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = '${LATEST}'`,
    );

    await runAs(
      database.ownerUrl,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, 'x', '${NEWER}', now(), now(), 1)`,
    );
    const newer = `the database was migrated by a newer Lethe (${NEWER}): this build's code does not match its tables, so it deletes nothing; run the build that migrated it`;
    // A console rolled back behind its database still starts; whatever deletes refuses.
    expect(await migrationProblems(database.db, WHERE)).toEqual([]);
    const refused = await appError(refuseIfNewer(database.db));
    expect([refused.code, refused.message]).toEqual(["PRECONDITION", newer]);

    // A worker of this build left running (here: started) stops at its next round.
    const worker = runScript(
      "scripts/worker.ts",
      [],
      { NODE_ENV: "development", DATABASE_URL: database.url, LOG_FORMAT: "json" },
      60_000,
    );
    expect(worker.code).toBe(1);
    expect(worker.out).toContain(newer);
  });
});
