import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestDatabase } from "./database";

/**
 * Points the route handlers, which read the process environment as they do
 * on Vercel, at this test's database and a temporary object folder. Call
 * before the first request: the environment is parsed once per process.
 */
export async function useRouteEnvironment(database: TestDatabase) {
  const cronSecret = randomBytes(24).toString("hex");
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    CRON_SECRET: cronSecret,
    NEXTAUTH_SECRET: randomBytes(24).toString("hex"),
    NEXTAUTH_URL: "http://localhost",
    STORAGE_DIR: await mkdtemp(path.join(os.tmpdir(), "lethe-routes-")),
    EVIDENCE_KEY_FILE: path.join(await mkdtemp(path.join(os.tmpdir(), "lethe-key-")), "key.pem"),
    CRON_MAX_DURATION_SECONDS: "10",
  });
  return { cronSecret };
}
