import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { rowCounts } from "@/test/row-counts";
import { cliDatabaseUrl, recordDevDatabase } from "./dev-database";
import { seedForDev, signInHelp } from "./dev-accounts";

let database: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    STORAGE_DIR: await mkdtemp(path.join(os.tmpdir(), "lethe-dev-")),
  };
});
afterAll(() => database.drop());

describe("npm run dev against a DATABASE_URL", () => {
  it("creates no user and no data, and says how to create the first admin", async () => {
    const before = await rowCounts(database.db);
    await seedForDev({ env, embedded: false, argv: [], log: () => {} });
    expect(await rowCounts(database.db)).toEqual(before);
    expect(await database.db.user.count()).toBe(0);
    expect(await signInHelp(database.url, false)).toContain(
      'npm run user:create -- you@example.com ADMIN --name "Your Name"',
    );
  });

  it("with --demo, refuses a database whose first admin exists (a real deployment's), changing nothing", async () => {
    const admin = await database.db.user.create({
      data: { email: "you@example.com", name: "You", role: "ADMIN" },
    });
    const before = await rowCounts(database.db);
    await expect(
      seedForDev({ env, embedded: false, argv: ["--demo"], log: () => {} }),
    ).rejects.toThrow(/^Refusing to seed the demo: this database has 1 account of its own\./);
    expect(await rowCounts(database.db)).toEqual(before);
    await database.db.user.delete({ where: { id: admin.id } });
  });

  it("with --demo, refuses a database that holds organizations of its own, changing nothing", async () => {
    await database.db.organization.create({
      data: { name: "Real Co", slug: "real-co", plan: "PRO" },
    });
    const before = await rowCounts(database.db);
    await expect(
      seedForDev({ env, embedded: false, argv: ["--demo"], log: () => {} }),
    ).rejects.toThrow(
      /^Refusing to seed the demo: this database holds 1 organizations that are not the demo's/,
    );
    expect(await rowCounts(database.db)).toEqual(before);
  });
});

describe("the CLIs' database", () => {
  it("is DATABASE_URL, else the embedded one of a running npm run dev, else a message saying what to do", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "lethe-state-"));
    expect(cliDatabaseUrl({ DATABASE_URL: "postgres://a/b" }, stateDir)).toBe("postgres://a/b");
    expect(() => cliDatabaseUrl({}, stateDir)).toThrow(
      /^DATABASE_URL is not set, and `npm run dev` is not running with the embedded database/,
    );
    const forget = recordDevDatabase("postgresql://lethe:lethe@127.0.0.1:1/lethe", stateDir);
    expect(cliDatabaseUrl({}, stateDir)).toBe("postgresql://lethe:lethe@127.0.0.1:1/lethe");
    forget();
    expect(() => cliDatabaseUrl({}, stateDir)).toThrow(/DATABASE_URL is not set/);
  });
});
