import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TEST_BUCKET } from "@/test/constants";
import { S3RVER_CREDENTIALS } from "@/test/s3-server";
import { createTestDatabase, runAs, type TestDatabase } from "@/test/database";
import { createDb, type Db } from "./db";
import { parseEnv } from "./env";
import { startupProblems } from "./startup-checks";

let database: TestDatabase;
let asOwner: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  asOwner = createDb(database.ownerUrl, { maxConnections: 1 });
});
afterAll(async () => {
  await asOwner.$disconnect();
  await database.drop();
});

/** A production deployment on the test's S3 server, whose bucket answers: only its database is in question. */
const production = (url: string) =>
  parseEnv({
    NODE_ENV: "production",
    DATABASE_URL: url,
    NEXTAUTH_SECRET: "a-secret-of-sixteen-chars",
    NEXTAUTH_URL: "https://lethe.example",
    S3_BUCKET: TEST_BUCKET,
    S3_ENDPOINT: inject("s3Endpoint"),
    S3_FORCE_PATH_STYLE: "true",
    S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  });

describe("a production server's database", () => {
  it("refuses to serve from a database not migrated yet, naming the command", async () => {
    await runAs(
      database.ownerUrl,
      "CREATE DATABASE lethe_not_migrated_" + database.name.slice(-12),
    );
    const bare = new URL(database.ownerUrl);
    bare.pathname = `/lethe_not_migrated_${database.name.slice(-12)}`;
    const db = createDb(bare.toString(), { maxConnections: 1 });
    try {
      expect(await startupProblems(production(bare.toString()), db)).toEqual([
        `the database at DATABASE_URL (${bare.hostname}:${bare.port}${bare.pathname}) lacks Lethe's tables: run \`npm run db:migrate\` (README: Production, step 2)`,
      ]);
    } finally {
      await db.$disconnect();
      await runAs(database.ownerUrl, `DROP DATABASE ${bare.pathname.slice(1)}`);
    }
  });

  it("refuses to serve from a database it cannot reach, without its password", async () => {
    const url = "postgres://lethe_app:s3cret-pass@127.0.0.1:9/lethe";
    const db = createDb(url, { maxConnections: 1 });
    try {
      const [problem, ...more] = await startupProblems(production(url), db);
      expect(more).toEqual([]);
      expect(problem).toMatch(
        /^the database at DATABASE_URL \(127\.0\.0\.1:9\/lethe\) cannot be used: ./,
      );
      expect(problem).not.toContain("s3cret-pass");
    } finally {
      await db.$disconnect();
    }
  });
});

describe("the role a production server signs in as", () => {
  it("passes when it may only add to and read the audit log", async () => {
    expect(await startupProblems(production(database.url), database.db)).toEqual([]);
  });

  it("refuses to serve as the owner of the audit log, saying what to do", async () => {
    const problems = await startupProblems(production(database.ownerUrl), asOwner);
    expect(problems.join("\n")).toMatch(
      /signs in as ".+", which .*owns the audit log.*MIGRATION_DATABASE_URL/,
    );
  });
});
