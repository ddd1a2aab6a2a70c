import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../scripts/embedded-db";
import { ROOT } from "../../scripts/local-stack";
import { migrateDatabase } from "../../scripts/migrate-database";

/** The scale dataset lives in a database of its own, never the app's. */
export const BENCH_DB = "lethe_bench";
export const BENCH_DIR = path.join(ROOT, ".lethe", "bench");

export type BenchServer = {
  /** The maintenance database, for CREATE/DROP DATABASE. */
  serverUrl: string;
  /** A database as its owner. */
  urlFor(database: string): string;
  /** A database as the app's own role (DATABASE_URL's, on a given server). */
  appUrlFor(database: string): string;
  /** Where the data lives, for the printout. */
  where: string;
  embedded: boolean;
  stop(): Promise<void>;
};

/**
 * Settings a production Postgres on this machine (24 GiB) would have; the
 * stock 128 MB of shared buffers would measure disk reads, not the engine.
 * Applied only to the embedded bench server, whose data dir is ours.
 */
const TUNING: Record<string, string> = {
  shared_buffers: "4GB",
  effective_cache_size: "16GB",
  work_mem: "32MB",
  maintenance_work_mem: "1GB",
  max_wal_size: "16GB",
  checkpoint_timeout: "30min",
  // Per-statement times for bench:purge's profile; its overhead is a few per cent at most.
  shared_preload_libraries: "pg_stat_statements",
  "pg_stat_statements.track_planning": "on",
};

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** True when the embedded server needs a restart for TUNING to take effect. */
async function applyTuning(serverUrl: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    let restart = false;
    for (const [name, value] of Object.entries(TUNING)) {
      const { rows } = await client.query<{ setting: string; pending_restart: boolean }>(
        "SELECT setting, pending_restart FROM pg_settings WHERE name = $1",
        [name],
      );
      // Null for a library's setting while the library is not loaded yet.
      const [current] = (
        await client.query<{ v: string | null }>("SELECT current_setting($1, true) AS v", [name])
      ).rows;
      if (current?.v === value && !rows[0]?.pending_restart) continue;
      await client.query(`ALTER SYSTEM SET ${name} = '${value}'`);
      restart = true;
    }
    await client.query("SELECT pg_reload_conf()");
    return restart;
  } finally {
    await client.end();
  }
}

/**
 * The bench's Postgres server: with DATABASE_URL, that server (the bench
 * database is created beside the app's); without it, an embedded
 * PostgreSQL 17 whose data dir is .lethe/bench/postgres.
 */
export async function openBenchServer(
  options: { dataDir?: string; port?: number } = {},
): Promise<BenchServer> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const serverUrl = withDatabase(given, "postgres");
    const host = new URL(given).host;
    return {
      serverUrl,
      urlFor: (db) => withDatabase(process.env.MIGRATION_DATABASE_URL ?? given, db),
      appUrlFor: (db) => withDatabase(given, db),
      where: `database ${BENCH_DB} on the server of DATABASE_URL (${host})`,
      embedded: false,
      stop: async () => {},
    };
  }
  const dataDir = path.join(BENCH_DIR, options.dataDir ?? "postgres");
  // BENCH_PORT: a second bench server beside one already running (another checkout's).
  const port = options.port ?? Number(process.env.BENCH_PORT ?? 55700);
  const start = () => startEmbeddedPostgres({ dataDir, port });
  let server = await start();
  if (await applyTuning(server.serverUrl)) {
    await server.stop();
    server = await start();
  }
  return {
    serverUrl: server.serverUrl,
    urlFor: server.urlFor,
    appUrlFor: server.appUrlFor,
    where: `embedded PostgreSQL 17, data in ${path.relative(ROOT, dataDir)}`,
    embedded: true,
    stop: server.stop,
  };
}

/** Runs `fn` with a plain pg client on `url` (admin work that Prisma has no API for). */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(serverUrl: string, name: string) {
  return withClient(serverUrl, async (c) => {
    const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return (rowCount ?? 0) > 0;
  });
}

export async function dropDatabase(serverUrl: string, name: string) {
  await withClient(serverUrl, (c) =>
    c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

/** A byte-identical copy of `source` (FILE_COPY: fast for a large database). */
export async function copyDatabase(serverUrl: string, source: string, target: string) {
  await dropDatabase(serverUrl, target);
  await withClient(serverUrl, (c) =>
    c.query(
      `CREATE DATABASE ${c.escapeIdentifier(target)} TEMPLATE ${c.escapeIdentifier(source)} STRATEGY FILE_COPY`,
    ),
  );
}

/** Opens the bench server and checks that `npm run bench:seed` has run. */
export async function openSeededBench(): Promise<BenchServer & { url: string }> {
  const server = await openBenchServer();
  if (!(await databaseExists(server.serverUrl, BENCH_DB))) {
    await server.stop();
    throw new Error(`No scale dataset yet (${server.where}). Run \`npm run bench:seed\` first.`);
  }
  // A dataset seeded before the latest migrations gets them, as a deploy would.
  await migrateDatabase({ ownerUrl: server.urlFor(BENCH_DB) });
  return { ...server, url: server.urlFor(BENCH_DB) };
}
