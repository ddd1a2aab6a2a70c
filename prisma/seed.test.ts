import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import type { Db } from "@/server/db";
import { LocalStore } from "@/server/storage/local-store";
import { seed } from "./seed";

let database: TestDatabase;
let storageDir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  storageDir = await mkdtemp(path.join(os.tmpdir(), "lethe-seed-"));
});
afterAll(() => database.drop());

/** A digest of every row of every table, and of every stored object. */
async function fingerprint(db: Db) {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`;
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ digest: string | null; n: bigint }[]>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*) AS n FROM "${name}" t`,
    );
    digests[name] = `${row?.n}:${row?.digest}`;
  }
  const objects: string[] = [];
  const store = new LocalStore(storageDir);
  let cursor: string | null = null;
  do {
    const page = await store.list("", { cursor });
    objects.push(...page.objects.map((o) => `${o.key}:${o.bytes}`));
    cursor = page.nextCursor;
  } while (cursor);
  return { digests, objects };
}

describe("seed", () => {
  it("fills every governed table, and running it twice changes nothing", async () => {
    const env = { DATABASE_URL: database.url, STORAGE_DIR: storageDir };
    await seed({ env, log: () => {} });
    const first = await fingerprint(database.db);
    for (const table of [
      "organizations",
      "artifacts",
      "drift_checks",
      "workflow_flags",
      "incidents",
      "incident_payloads",
      "approvals",
      "image_analyses",
      "memory_items",
      "scene_iterations",
      "backups",
      "task_queue_entries",
      "errors",
      "prompts",
      "legal_holds",
      "storage_snapshots",
      "users",
      "audit_log",
    ]) {
      expect(first.digests[table], table).not.toMatch(/^0:/);
    }
    expect(first.objects.some((o) => o.includes("/tmp/"))).toBe(true);

    await seed({ env, log: () => {} });
    expect(await fingerprint(database.db)).toEqual(first);
  });
});
