import type { Engine } from "../deps";
import { HOLDS_GATE_SHARED } from "../policy/holds";
import { MAX_RESTORE_DAYS } from "../policy/defaults";
import { ACTIVE_HOLD } from "../categories/category";
import { sql, type Sql, type Tx } from "../sql";
import { MAX_KEYS_PER_DELETE } from "../../storage/object-store";
import { ERASED } from "./scope";
import { finallyFreed, writeWindowBatches } from "./window-batches";
import { addToTotals } from "../run/ledger";

/**
 * DeleteObjects requests per batch: a batch's marks, window batches and
 * totals cost less per item in larger batches (749,000 kept artifacts: 102 s
 * a request a batch, 85 s at five).
 */
const REQUESTS_PER_BATCH = 5;

export type FinalDeletion = {
  /** Kept items finally deleted: their objects, then their rows. */
  deleted: number;
  bytesFreed: bigint;
  /** Kept items whose object was not deleted: they wait for the next delivery. */
  failed: number;
  /** Whether nothing due is left (held items aside). */
  done: boolean;
};

type Marked = { id: bigint; object_key: string | null };

/**
 * A kept row (`k`) that a legal hold covers: its org's, or its incident's or
 * artifact's (the item itself, or what its kept row references).
 */
const HELD = sql`(
  EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = k.org_id AND h.scope = 'ORG' AND ${ACTIVE_HOLD})
  OR EXISTS (SELECT 1 FROM legal_holds h WHERE ${ACTIVE_HOLD} AND h.incident_id = CASE k.category
       WHEN 'INCIDENT_PAYLOADS' THEN k.item_id WHEN 'APPROVALS' THEN (k.row ->> 'incident_id')::int END)
  OR EXISTS (SELECT 1 FROM legal_holds h WHERE ${ACTIVE_HOLD} AND h.artifact_id = CASE k.category
       WHEN 'ARTIFACTS' THEN k.item_id WHEN 'IMAGE_ANALYSES' THEN (k.row ->> 'artifact_id')::int END))`;

/**
 * Marks the next kept items whose window passed (or that an erasure
 * covers) for the final deletion of
 * `runId`, in one transaction: those not restored, not finally deleted, not
 * under an active legal hold (read under the holds' gate, so a hold being
 * placed waits), none this call already failed. Once marked, a restore
 * refuses them, so their objects may go. Rows another delivery is marking
 * are skipped.
 */
async function markDue(engine: Engine, runId: string, failed: bigint[], size: number) {
  const now = engine.now();
  const mark = (tx: Tx, due: Sql, limit: number) =>
    tx.$queryRaw<Marked[]>(sql`
      WITH due AS (
        SELECT k.id FROM kept_items k
        WHERE ${due} AND k.restored_at IS NULL AND k.finally_deleted_at IS NULL
          AND NOT (k.id = ANY(${failed}::bigint[])) AND NOT ${HELD}
        -- The index's own order (both NULL here): the planner walks the kept rows
        -- still open, not every row a final deletion already cleared.
        ORDER BY k.finally_deleted_at, k.restored_at, k.id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      UPDATE kept_items k SET final_run_id = ${runId} FROM due WHERE k.id = due.id
      RETURNING k.id, k.object_key`);
  return engine.db.$transaction(async (tx) => {
    await tx.$executeRaw(sql`SELECT ${HOLDS_GATE_SHARED}`);
    const passed = await mark(tx, sql`k.restorable_until <= ${now}::timestamptz`, size);
    if (passed.length === size) return passed;
    // Items an erasure covers go now, whatever their window: looked for only
    // while an erasure decided within the longest window could cover any.
    const [recent] = await tx.$queryRaw<{ any: boolean }[]>(sql`
      SELECT EXISTS (SELECT 1 FROM erasure_requests
        WHERE status IN ('APPROVED', 'EXECUTED', 'INCOMPLETE')
          AND decided_at >= ${now}::timestamptz - make_interval(days => ${MAX_RESTORE_DAYS})) AS any`);
    if (!recent?.any) return passed;
    const erased = await mark(
      tx,
      sql`k.restorable_until > ${now}::timestamptz AND ${ERASED}`,
      size - passed.length,
    );
    return [...passed, ...erased];
  });
}

/**
 * The daily run's final deletion: kept items past their restore window go
 * for good, a batch at a time until `deadline`. Each batch marks its items,
 * deletes their objects (DeleteObjects, 1,000 keys a request), then
 * clears the kept rows whose objects are gone, writes the day's window
 * batches with their bytes freed and adds those to the purge totals. A crash after the mark leaves the items
 * marked: the next delivery marks them again and deletes what is left; a
 * failed key leaves its kept row for the next delivery.
 */
export async function finallyDeleteDue(
  engine: Engine,
  runId: string,
  deadline: number,
): Promise<FinalDeletion> {
  const size = Math.min(engine.settings.batchSize, MAX_KEYS_PER_DELETE) * REQUESTS_PER_BATCH;
  const result: FinalDeletion = { deleted: 0, bytesFreed: 0n, failed: 0, done: false };
  const failed: bigint[] = [];
  while (Date.now() < deadline) {
    const marked = await markDue(engine, runId, failed, size);
    if (marked.length === 0) return { ...result, done: failed.length === 0 };
    const keys = marked.flatMap((m) => (m.object_key ? [m.object_key] : []));
    const outcome = keys.length ? await engine.store.deleteMany(keys) : { deleted: [], failed: [] };
    const gone = new Set(outcome.deleted);
    const deleted = marked.filter((m) => m.object_key === null || gone.has(m.object_key));
    const kept = new Set(deleted);
    for (const m of marked) if (!kept.has(m)) failed.push(m.id);
    const [row] = await engine.db.$transaction(async (tx) => {
      const cleared = await tx.$queryRaw<{ id: bigint; bytes: bigint }[]>(sql`
        UPDATE kept_items SET finally_deleted_at = ${engine.now()}::timestamptz, row = NULL, links = NULL
        WHERE id = ANY(${deleted.map((m) => m.id)}::bigint[]) AND finally_deleted_at IS NULL
        RETURNING id, bytes`);
      const ids = cleared.map((c) => c.id);
      await writeWindowBatches(tx, { finalRunId: runId }, ids);
      const bytes = cleared.reduce((sum, c) => sum + BigInt(c.bytes), 0n);
      if (ids.length) {
        await tx.$executeRaw(addToTotals(finallyFreed(sql`k.id = ANY(${ids}::bigint[])`)));
        await tx.$executeRaw(
          sql`UPDATE purge_runs SET finally_freed = finally_freed + ${bytes} WHERE id = ${runId}`,
        );
      }
      return [{ items: cleared.length, bytes }];
    });
    result.deleted += row?.items ?? 0;
    result.bytesFreed += row?.bytes ?? 0n;
    result.failed = failed.length;
  }
  return result;
}
