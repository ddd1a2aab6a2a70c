import type { PoolConfig } from "pg";

/**
 * Splits a postgres:// URL into the separate fields the pg driver takes.
 * Prisma's migrate engine needs the fields apart: given a connection string,
 * its shadow database reconnects to the main database instead (P3006).
 */
export function poolConfigFromUrl(url: string): PoolConfig {
  const parsed = new URL(url);
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new Error(`DATABASE_URL must start with postgres:// (got ${parsed.protocol}//)`);
  }
  const sslmode = parsed.searchParams.get("sslmode");
  return {
    host: decodeURIComponent(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")),
    ssl:
      sslmode === "require" || sslmode === "verify-full" || sslmode === "verify-ca"
        ? { rejectUnauthorized: sslmode !== "require" }
        : undefined,
  };
}
