import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseEnv } from "../server/env";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDb } from "./embedded-db";
import { migrateDatabase } from "./migrate-database";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** A secret kept in the state folder, created on first use: sessions survive restarts. */
async function localSecret(stateDir: string, name: string) {
  const file = path.join(stateDir, name);
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(32).toString("base64url");
  await mkdir(stateDir, { recursive: true });
  await writeFile(file, secret + "\n", { mode: 0o600 });
  return secret;
}

export type LocalStack = {
  env: Record<string, string>;
  /** The database as its owner (migrations; the e2e suite's setup). */
  ownerUrl: string;
  embedded: EmbeddedDb | null;
};

/**
 * The embedded default: with no DATABASE_URL, a real PostgreSQL from npm with
 * its data under `stateDir`, the app signed in as a role of its own;
 * local-folder storage; generated secrets. Then validates the environment
 * and applies migrations as the owner.
 */
export async function prepareLocalStack(options: {
  stateDir: string;
  port: number;
  pgPort: number;
  /** An empty embedded database, even where its data was moved out of the checkout. */
  fresh?: boolean;
}): Promise<LocalStack> {
  const stateDir = path.resolve(ROOT, options.stateDir);
  let embedded: EmbeddedDb | null = null;
  let databaseUrl = process.env.DATABASE_URL;
  let ownerUrl = process.env.MIGRATION_DATABASE_URL ?? databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(stateDir, "postgres"),
      port: options.pgPort,
      fresh: options.fresh,
    });
    await ensureDatabase(embedded.serverUrl, "lethe");
    databaseUrl = embedded.appUrlFor("lethe");
    ownerUrl = embedded.urlFor("lethe");
  }
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${options.port}`,
    NEXTAUTH_SECRET:
      process.env.NEXTAUTH_SECRET ?? (await localSecret(stateDir, "nextauth-secret")),
    CRON_SECRET: process.env.CRON_SECRET ?? (await localSecret(stateDir, "cron-secret")),
    STORAGE_DIR: process.env.STORAGE_DIR ?? path.join(stateDir, "storage"),
  };
  Object.assign(process.env, env);
  try {
    parseEnv(process.env);
    await migrateDatabase({ ownerUrl: ownerUrl ?? databaseUrl, appUrl: databaseUrl });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return { env, ownerUrl: ownerUrl ?? databaseUrl, embedded };
}
