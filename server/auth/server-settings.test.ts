import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { parseEnv } from "../env";
import { authOptions } from "./options";
import { webServerProblems } from "./server-settings";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  // This process's environment has no NEXTAUTH_SECRET (as a misconfigured server would).
  delete process.env.NEXTAUTH_SECRET;
  process.env.DATABASE_URL = database.url;
  process.env.NEXTAUTH_URL = "http://localhost:3000";
});
afterAll(() => database.drop());

/** Starts the server's start-up hook (instrumentation.ts) in a process of its own with `env`. */
function startServer(env: {
  NODE_ENV: "development" | "test" | "production";
  NEXTAUTH_SECRET?: string;
}) {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "-e", "import('./instrumentation.ts').then((m) => m.register())"],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? "",
        NEXT_RUNTIME: "nodejs",
        DATABASE_URL: database.url,
        NEXTAUTH_URL: "http://localhost:3000",
        // Storage chosen, as production requires: only the session secret is missing.
        STORAGE: "local",
        STORAGE_DIR: os.tmpdir(),
        ...env,
      },
    },
  );
  return { code: run.status, stderr: run.stderr };
}

describe("NEXTAUTH_SECRET is required wherever the server runs", () => {
  it.each(["development", "test", "production"] as const)(
    "a server started without it (NODE_ENV=%s) refuses to start, naming it",
    (nodeEnv) => {
      const { code, stderr } = startServer({ NODE_ENV: nodeEnv });
      expect(stderr).toMatch(/refuses to start the server:\n {2}- NEXTAUTH_SECRET is required/);
      expect(code).toBe(1);
    },
  );

  it("with it (as npm run dev sets it) the development server starts", () => {
    const { code, stderr } = startServer({
      NODE_ENV: "development",
      NEXTAUTH_SECRET: "a-secret-of-32-characters-or-so!",
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("next-auth's options are never built without it", () => {
    expect(() => authOptions()).toThrow(/NEXTAUTH_SECRET is required/);
  });

  it("the worker and the CLIs, which create no sessions, need it nowhere; the server needs NEXTAUTH_URL too", () => {
    const production = parseEnv({
      DATABASE_URL: database.url,
      NODE_ENV: "production",
      S3_BUCKET: "lethe-objects",
    });
    expect(webServerProblems(production).join("\n")).toMatch(
      /NEXTAUTH_SECRET is required[^]*NEXTAUTH_URL is required/,
    );
  });

  it("a production server needs CRON_SECRET, or no daily purge would ever run; development does not", () => {
    const settings = {
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: "a-secret-of-32-characters-or-so!",
      NEXTAUTH_URL: "http://localhost:3000",
      S3_BUCKET: "lethe-objects",
    };
    expect(webServerProblems(parseEnv({ ...settings, NODE_ENV: "production" }))).toEqual([
      expect.stringMatching(/^CRON_SECRET is required in production: .*nothing is purged$/),
    ]);
    expect(
      webServerProblems(
        parseEnv({
          ...settings,
          NODE_ENV: "production",
          CRON_SECRET: "a-cron-secret-of-32-chars-or-so",
        }),
      ),
    ).toEqual([]);
    expect(webServerProblems(parseEnv({ ...settings, NODE_ENV: "development" }))).toEqual([]);
  });
});
