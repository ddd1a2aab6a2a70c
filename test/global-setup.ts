import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import {
  APP_ROLE,
  ensureDatabase,
  ensureRole,
  freePort,
  startEmbeddedPostgres,
} from "../scripts/embedded-db";
import { migrateDatabase } from "../scripts/migrate-database";
import { TEMPLATE_DB, TEST_BUCKET } from "./constants";
import { startS3Server } from "./s3-server";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of a Postgres server's maintenance database, as the owner; tests create their databases there. */
    pgServerUrl: string;
    /** The role test databases are used as, like the app's in production. */
    pgAppRole: { user: string; password: string };
    s3Endpoint: string;
  }
}

/**
 * Starts what `npm test` needs and nothing else runs: a real PostgreSQL
 * (embedded, or the server of DATABASE_URL, whose role must be able to
 * create databases and roles) with a migrated template database whose
 * tables the tests use as the app's role, and a real S3-compatible server.
 */
export default async function setup(project: TestProject) {
  let serverUrl: string;
  let stopPostgres = async () => {};
  const dataDirs: string[] = [];
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = "/postgres";
    serverUrl = url.toString();
  } else {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "lethe-test-pg-"));
    // As root, Postgres runs as the postgres user, who must reach the data directory.
    await chmod(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "data"),
      // The next free one: two test runs on one machine (two checkouts, or the
      // unit tests beside the fault suite) must not meet on one server.
      port: await freePort(55400),
    });
    serverUrl = embedded.serverUrl;
    stopPostgres = embedded.stop;
    dataDirs.push(dataDir, embedded.dataDir);
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(serverUrl, TEMPLATE_DB);
  // Databases copied from the template keep its grants; the role is the server's.
  await ensureRole(serverUrl, APP_ROLE);
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  const appUrl = new URL(templateUrl);
  appUrl.username = APP_ROLE.user;
  appUrl.password = APP_ROLE.password;
  await migrateDatabase({ ownerUrl: templateUrl.toString(), appUrl: appUrl.toString() });

  const s3 = await startS3Server([TEST_BUCKET]);
  project.provide("pgServerUrl", serverUrl);
  project.provide("pgAppRole", APP_ROLE);
  project.provide("s3Endpoint", s3.endpoint);

  return async () => {
    s3.stop();
    await stopPostgres();
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  };
}
