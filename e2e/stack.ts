import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export type Account = { id: number; email: string; password: string; role: string };
type StackEnv = {
  DATABASE_URL: string;
  STORAGE_DIR: string;
  CRON_SECRET: string;
  accounts: Record<string, Account>;
};

/** What the e2e server started: its database, storage folder, cron secret and accounts. */
export function stackEnv(): StackEnv {
  return JSON.parse(readFileSync(path.join(".lethe", "e2e", "stack.json"), "utf8")) as StackEnv;
}

let pool: pg.Pool | undefined;

/** Runs one query against the app's database, to check what a page claims. */
export async function query<T extends pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  pool ??= new pg.Pool({ connectionString: stackEnv().DATABASE_URL, max: 2 });
  const result = await pool.query<T>(text, values);
  return result.rows;
}

/** Whether an object exists in the app's local storage folder. */
export const objectExists = (key: string) => existsSync(path.join(stackEnv().STORAGE_DIR, key));
