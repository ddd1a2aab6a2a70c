import { randomBytes, randomInt } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Db } from "../server/db";
import { TEMPLATE_DB } from "./constants";

/** Connections in each test database's pool. */
export const TEST_POOL_SIZE = 5;

export type TestDatabase = { db: Db; url: string; name: string; drop: () => Promise<void> };

/**
 * A database of this test's own, copied in milliseconds from the migrated
 * template, or from `template`: another test database nobody is connected to.
 */
export async function createTestDatabase(
  options: { template?: string } = {},
): Promise<TestDatabase> {
  const serverUrl = inject("pgServerUrl");
  const name = `lethe_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${options.template ?? TEMPLATE_DB}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: TEST_POOL_SIZE });
  // Test databases share the S3 bucket, whose keys start with the org's id.
  // Org ids from a range of this database's own keep one test's orphan sweep
  // off another test's objects.
  if (!options.template)
    await db.$executeRawUnsafe(
      `ALTER SEQUENCE organizations_id_seq RESTART WITH ${randomInt(1, 2_000_000) * 1000}`,
    );
  return {
    db,
    url: url.toString(),
    name,
    drop: async () => {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
