import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const DEFAULT_STATE_DIR = path.resolve(import.meta.dirname, "..", ".lethe");
const FILE = "dev-database.json";

/**
 * While `npm run dev` serves the embedded database, its URL is kept in
 * `.lethe/dev-database.json` (readable by its owner only) with dev's pid,
 * so the user and token CLIs find it without a DATABASE_URL. Returns what
 * removes the record, for when dev stops.
 */
export function recordDevDatabase(url: string, stateDir = DEFAULT_STATE_DIR) {
  const file = path.join(stateDir, FILE);
  writeFileSync(file, JSON.stringify({ url, pid: process.pid }) + "\n", { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** The embedded database of a running `npm run dev`, if there is one. */
export function devDatabaseUrl(stateDir = DEFAULT_STATE_DIR): string | null {
  const file = path.join(stateDir, FILE);
  if (!existsSync(file)) return null;
  try {
    const { url, pid } = JSON.parse(readFileSync(file, "utf8")) as { url?: string; pid?: number };
    return typeof url === "string" && typeof pid === "number" && alive(pid) ? url : null;
  } catch {
    return null;
  }
}

/** The database a CLI works on: DATABASE_URL, else the embedded one of a running `npm run dev`. */
export function cliDatabaseUrl(
  source: Record<string, string | undefined> = process.env,
  stateDir = DEFAULT_STATE_DIR,
): string {
  const url = source.DATABASE_URL || devDatabaseUrl(stateDir);
  if (url) return url;
  throw new Error(
    "DATABASE_URL is not set, and `npm run dev` is not running with the embedded database: " +
      "set DATABASE_URL=postgres://… (the database the console uses), or start `npm run dev` first.",
  );
}
