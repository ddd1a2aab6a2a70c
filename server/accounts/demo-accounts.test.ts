import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUsers } from "@/prisma/seed/users";
import { parseEnv } from "@/server/env";
import { startupProblems } from "@/server/startup-checks";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { enabledDemoAccounts } from "./demo-accounts";
import { createUser, setDisabled, userByEmail } from "./users";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
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

/** Runs `npm run worker` as a production deployment would; resolves with its exit code and output. */
function runWorker() {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/worker.ts"],
    { cwd: ROOT, env: { PATH: process.env.PATH, ...productionEnv() } },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, output })),
  );
}

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

    const worker = await runWorker();
    expect(worker.code).toBe(1);
    expect(worker.output).toContain("Lethe refuses to start the worker:");
    expect(worker.output).toContain("npm run user:disable -- admin@lethe.dev");
    expect(worker.output).not.toContain("viewer@lethe.dev");
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
