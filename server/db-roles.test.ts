import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
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

const production = (url: string) =>
  parseEnv({
    NODE_ENV: "production",
    DATABASE_URL: url,
    NEXTAUTH_SECRET: "a-secret-of-sixteen-chars",
    S3_BUCKET: "lethe-objects",
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
