import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUsers } from "@/prisma/seed/users";
import { parseEnv } from "@/server/env";
import { startupProblems } from "@/server/startup-checks";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { runScript } from "@/test/run-script";
import { enabledDemoAccounts } from "./demo-accounts";
import { createUser, setDisabled, userByEmail } from "./users";

let database: TestDatabase;
let storageDir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  storageDir = await mkdtemp(path.join(os.tmpdir(), "lethe-demo-check-"));
});
afterAll(() => database.drop());

const productionEnv = () => ({
  DATABASE_URL: database.url,
  NODE_ENV: "production" as const,
  NEXTAUTH_SECRET: randomBytes(24).toString("hex"),
  NEXTAUTH_URL: "http://localhost:3000",
  STORAGE: "local",
  STORAGE_DIR: storageDir,
});

describe("a production deployment with a demo account", () => {
  it("refuses to start, naming each enabled demo account and the command that disables it", async () => {
    await seedUsers(database.db);
    await database.db.user.update({
      where: { email: "viewer@lethe.dev" },
      data: { disabledAt: new Date() },
    });
    const problems = await startupProblems(parseEnv(productionEnv()), database.db);
    const demo = problems.filter((p) => p.includes("demo"));
    expect(demo).toEqual([
      "no admin but the demo's: first create your own with `npm run user:create -- you@example.com ADMIN`",
      ...["admin2@lethe.dev", "admin@lethe.dev", "operator@lethe.dev"].map(
        (email) =>
          `the demo account ${email} is enabled and its password is published: disable it with \`npm run user:disable -- ${email}\``,
      ),
    ]);
    // Outside production the demo is what `npm run dev` shows.
    const development = parseEnv({ ...productionEnv(), NODE_ENV: "development" });
    expect(await startupProblems(development, database.db)).toEqual([]);

    const worker = runScript("scripts/worker.ts", [], productionEnv());
    const output = worker.out + worker.err;
    expect(worker.code).toBe(1);
    expect(output).toContain("Lethe refuses to start the worker:");
    expect(output).toContain("npm run user:disable -- admin@lethe.dev");
    expect(output).not.toContain("viewer@lethe.dev");
  });

  it("starts after the fix it names: a real admin, then every demo account disabled", async () => {
    await createUser(database.db, {
      actor: "system",
      via: "cli",
      production: true,
      account: { email: "ops@example.com", name: "Ops", role: "ADMIN" },
    });
    for (const email of await enabledDemoAccounts(database.db)) {
      const { id } = await userByEmail(database.db, email);
      await setDisabled(database.db, {
        actor: "system",
        via: "cli",
        userId: id,
        disabled: true,
        production: true,
      });
    }
    const problems = await startupProblems(parseEnv(productionEnv()), database.db);
    expect(problems.filter((p) => p.includes("demo"))).toEqual([]);
  });
});
