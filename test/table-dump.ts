import { createHash } from "node:crypto";
import type { Db } from "../server/db";
import type { ObjectStore } from "../server/storage";
import { orgPrefix } from "../server/retention/categories/orphan-objects";
import { allKeys } from "./world-state";

/** The governed tables, their shells' tables and the purge notes: what a restore must bring back. */
const TABLES = [
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
  "purge_notes",
];

/** Every row of every governed table, whole (every column as text, in a stable order). */
export async function dumpTables(db: Db): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const table of TABLES) {
    // Table names come from the constant above, never from input.
    const rows = await db.$queryRawUnsafe<{ row: string }[]>(
      `SELECT t::text AS row FROM ${table} t ORDER BY t::text`,
    );
    dump[table] = rows.map((r) => r.row);
  }
  return dump;
}

/** Every object under these orgs' prefixes, with the SHA-256 of its bytes. */
export async function dumpObjects(
  store: ObjectStore,
  orgIds: number[],
): Promise<Record<string, string>> {
  const dump: Record<string, string> = {};
  const keys = (await allKeys(store)).filter((key) =>
    orgIds.some((id) => key.startsWith(orgPrefix(id))),
  );
  for (const key of keys) {
    const body = await store.read(key);
    const hash = createHash("sha256");
    if (body) for await (const chunk of body) hash.update(chunk as Buffer);
    dump[key] = hash.digest("hex");
  }
  return dump;
}
