import type { Db } from "../server/db";
import type { ObjectStore } from "../server/storage";

/**
 * Each governed table and what identifies a row's state in it: the id,
 * plus whether an incident's payload was purged or a prompt archived.
 */
const TABLES: Record<string, string> = {
  artifacts: "id::text",
  drift_checks: "id::text",
  workflow_flags: "id::text",
  incidents: "id || ':' || (payload_purged_at IS NOT NULL)",
  incident_payloads: "id::text",
  approvals: "id::text",
  image_analyses: "id::text",
  memory_items: "id::text",
  scene_iterations: "id::text",
  backups: "id::text",
  task_queue_entries: "id::text",
  errors: "id::text",
  prompts: "id || ':' || (archived_at IS NOT NULL)",
};

/** Every key in the store, in order. */
export async function allKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.list("", { cursor, limit: 1000 });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.nextCursor;
  } while (cursor);
  return keys;
}

/**
 * What a purge leaves behind that a user could see: the rows of every
 * governed table and the objects in the bucket. Two runs of the same plan
 * on copies of the same world must leave equal states.
 */
export async function worldState(db: Db, store: ObjectStore) {
  const rows: Record<string, string[]> = {};
  for (const [table, state] of Object.entries(TABLES)) {
    // Table names and expressions come from the constant above, never from input.
    const [row] = await db.$queryRawUnsafe<{ ids: string[] }[]>(
      `SELECT coalesce(array_agg(${state} ORDER BY id), '{}') AS ids FROM ${table}`,
    );
    rows[table] = row?.ids ?? [];
  }
  const objects = await allKeys(store);
  const present = new Set(objects);
  const referenced = await db.$queryRaw<{ key: string }[]>`
    SELECT object_key AS key FROM artifacts UNION ALL SELECT object_key FROM backups`;
  return {
    rows,
    objects,
    /** Rows whose object is gone: must always be empty. */
    dangling: referenced.map((r) => r.key).filter((key) => !present.has(key)),
  };
}

/** A finished run as its evidence tells it: counts, bytes, totals and the manifest per category. */
export async function runEvidence(db: Db, runId: string) {
  const run = await db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
  const batches = await db.manifestBatch.findMany({ where: { runId } });
  const manifest: Record<string, string[]> = {};
  for (const b of batches) manifest[b.category] = [...(manifest[b.category] ?? []), ...b.itemIds];
  for (const ids of Object.values(manifest)) ids.sort();
  const totals = await db.purgeTotal.findMany({ orderBy: [{ plan: "asc" }, { category: "asc" }] });
  return {
    status: run.status,
    deleted: run.deleted,
    skipped: run.skipped,
    failed: run.failed,
    bytesFreed: run.bytesFreed,
    manifestBytes: batches.reduce((sum, b) => sum + b.bytes, 0n),
    manifest,
    totals: totals.map((x) => ({ ...x })),
  };
}
