import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export type Account = { id: number; email: string; password: string; role: string };
type StackEnv = {
  DATABASE_URL: string;
  OWNER_DATABASE_URL: string;
  STORAGE_DIR: string;
  CRON_SECRET: string;
  accounts: Record<string, Account>;
};

/** What the e2e server started: its database, storage folder, cron secret and accounts. */
export function stackEnv(): StackEnv {
  return JSON.parse(readFileSync(path.join(".lethe", "e2e", "stack.json"), "utf8")) as StackEnv;
}

const pools = new Map<string, pg.Pool>();

async function run<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[]) {
  const pool = pools.get(url) ?? new pg.Pool({ connectionString: url, max: 2 });
  pools.set(url, pool);
  return (await pool.query<T>(text, values)).rows;
}

/** Runs one query against the app's database as the app does, to check what a page claims. */
export const query = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
  run<T>(stackEnv().DATABASE_URL, text, values);

/** Runs one query as the database's owner: setting up what the app itself may not change. */
export const queryAsOwner = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
  run<T>(stackEnv().OWNER_DATABASE_URL, text, values);

/** Whether an object exists in the app's local storage folder. */
export const objectExists = (key: string) => existsSync(path.join(stackEnv().STORAGE_DIR, key));

/**
 * Holds `tables` locked against writes (EXCLUSIVE: readers pass) as the
 * database's owner until `release`: work that writes them waits at its
 * first write, so a test sees it before it started, without timing it.
 */
export async function holdWrites(tables: string[]) {
  const client = new pg.Client({ connectionString: stackEnv().OWNER_DATABASE_URL });
  await client.connect();
  await client.query("BEGIN");
  await client.query(`LOCK TABLE ${tables.join(", ")} IN EXCLUSIVE MODE`);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await client.query("COMMIT");
    await client.end();
  };
}
