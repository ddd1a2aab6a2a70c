import { randomBytes, randomInt } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Db } from "../server/db";
import { TEMPLATE_DB } from "./constants";

/** Connections in each test database's pool. */
export const TEST_POOL_SIZE = 5;

export type TestDatabase = {
  /** The database as the app uses it: its own role, which may only add to and read the audit log. */
  db: Db;
  url: string;
  /** The same database as its owner, for a test's setup that the app may not do (DDL, tampering). */
  ownerUrl: string;
  name: string;
  drop: () => Promise<void>;
};

/** Runs `sql` on `url` as a plain client: a test's setup that Prisma has no API for. */
export async function runAs(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The governed SaaS refusing to let some rows go, as a trigger of its own
 * may: deleting a row of `table` for which `when` (SQL on OLD) holds raises
 * `message`, where % is the row's id. `name` names the trigger, to drop it.
 */
export async function refuseDeletes(
  ownerUrl: string,
  refusal: { name: string; table: string; when: string; message: string },
) {
  const { name, table, when, message } = refusal;
  await runAs(
    ownerUrl,
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION '${message}', OLD.id; END $$`,
  );
  await runAs(
    ownerUrl,
    `CREATE TRIGGER ${name} BEFORE DELETE ON ${table} FOR EACH ROW
     WHEN (${when}) EXECUTE FUNCTION ${name}()`,
  );
}

/**
 * A database of this test's own, copied in milliseconds from the migrated
 * template, or from `template`: another test database nobody is connected to.
 */
export async function createTestDatabase(
  options: { template?: string } = {},
): Promise<TestDatabase> {
  const serverUrl = inject("pgServerUrl");
  const appRole = inject("pgAppRole");
  const name = `lethe_t_${randomBytes(6).toString("hex")}`;
  await runAs(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${options.template ?? TEMPLATE_DB}`);
  const owner = new URL(serverUrl);
  owner.pathname = `/${name}`;
  const app = new URL(owner);
  app.username = appRole.user;
  app.password = appRole.password;
  // Test databases share the S3 bucket, whose keys start with the org's id.
  // Org ids from a range of this database's own keep one test's orphan sweep
  // off another test's objects.
  if (!options.template)
    await runAs(
      owner.toString(),
      `ALTER SEQUENCE organizations_id_seq RESTART WITH ${randomInt(1, 2_000_000) * 1000}`,
    );
  const db = createDb(app.toString(), { maxConnections: TEST_POOL_SIZE });
  return {
    db,
    url: app.toString(),
    ownerUrl: owner.toString(),
    name,
    drop: async () => {
      await db.$disconnect();
      await runAs(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
