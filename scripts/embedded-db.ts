import net from "node:net";
import path from "node:path";
import pg from "pg";
import { startPostgresServer } from "./postgres/server";

export type EmbeddedDb = {
  /** Connection URL of the server's maintenance database (`postgres`), as the owner. */
  serverUrl: string;
  /** A database as its owner: migrations, and tests' setup. */
  urlFor(database: string): string;
  /** A database as the app's role: what DATABASE_URL points at. */
  appUrlFor(database: string): string;
  /** Where the data is: moved out of a checkout that the server's account cannot enter. */
  dataDir: string;
  stop(): Promise<void>;
};

/**
 * The embedded default has the two roles of a production database: the
 * owner runs migrations; the app runs as a role that may only add to and
 * read the audit log (server/db-roles.ts grants it after each migration).
 */
const OWNER = { user: "lethe", password: "lethe" };
export const APP_ROLE = { user: "lethe_app", password: "lethe_app" };

/** Finds a free TCP port, starting at `preferred`. */
export async function freePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 100; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port in ${preferred}..${preferred + 99}`);
}

/** Starts a real PostgreSQL 17 from npm; the data directory survives restarts. */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** Start from an empty database (the e2e suite's), wherever its data lives. */
  fresh?: boolean;
}): Promise<EmbeddedDb> {
  const port = await freePort(options.port);
  const server = await startPostgresServer({
    dataDir: path.resolve(options.dataDir),
    port,
    superuser: OWNER.user,
    password: OWNER.password,
    fresh: options.fresh,
    flags: [
      "-c",
      "max_connections=200",
      // Lethe's times are UTC without a zone: a host in another zone must not shift them.
      "-c",
      "TimeZone=UTC",
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
    ],
  });
  const url = (role: { user: string; password: string }, database: string) =>
    `postgresql://${role.user}:${role.password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const serverUrl = url(OWNER, "postgres");
  try {
    await ensureRole(serverUrl, APP_ROLE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    serverUrl,
    urlFor: (database) => url(OWNER, database),
    appUrlFor: (database) => url(APP_ROLE, database),
    dataDir: server.dataDir,
    stop: server.stop,
  };
}

/** Creates a login role with no privileges of its own, if it does not exist. */
export async function ensureRole(serverUrl: string, role: { user: string; password: string }) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [
      role.user,
    ]);
    if (!rowCount) {
      await client.query(
        `CREATE ROLE ${client.escapeIdentifier(role.user)} LOGIN PASSWORD ${client.escapeLiteral(role.password)}`,
      );
    }
  } finally {
    await client.end();
  }
}

/** Creates `database` if it does not exist yet. */
export async function ensureDatabase(serverUrl: string, database: string, template?: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
      database,
    ]);
    if (!rowCount) {
      const from = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : "";
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}${from}`);
    }
  } finally {
    await client.end();
  }
}
