import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, runAs, type TestDatabase } from "@/test/database";
import { createDb } from "./db";
import { timeZoneProblems } from "./db-timezone";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** What a new connection of the app's role finds, the database's settings applied. */
async function problemsOnNewConnection() {
  const db = createDb(database.url, { maxConnections: 1 });
  try {
    return await timeZoneProblems({ db });
  } finally {
    await db.$disconnect();
  }
}

describe("the database's TimeZone", () => {
  it("is refused unless UTC, naming the fix: elsewhere every cutoff would move by the zone's offset", async () => {
    expect(await problemsOnNewConnection()).toEqual([]);
    for (const zone of ["Pacific/Kiritimati", "Europe/London"]) {
      await runAs(database.ownerUrl, `ALTER DATABASE "${database.name}" SET timezone TO '${zone}'`);
      expect(await problemsOnNewConnection()).toEqual([
        `the database's TimeZone is ${zone}, not UTC: Lethe's stored times are UTC, so its cutoffs and pins would move by that offset. Run \`ALTER DATABASE "${database.name}" SET timezone TO 'UTC'\` as its owner (and drop any timezone set on the app's role), then restart`,
      ]);
    }
    await runAs(database.ownerUrl, `ALTER DATABASE "${database.name}" SET timezone TO 'Etc/UTC'`);
    expect(await problemsOnNewConnection()).toEqual([]);
  });
});
