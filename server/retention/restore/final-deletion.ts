import pg from "pg";
import { poolConfigFromUrl } from "../../db-config";
import type { Engine } from "../deps";
import { HOLDS_GATE_KEY } from "../policy/holds";
import { MAX_RESTORE_DAYS } from "../policy/defaults";
import { ACTIVE_HOLD } from "../categories/category";
import { sql, type Sql, type Tx } from "../sql";
import { MAX_KEYS_PER_DELETE } from "../../storage/object-store";
import { ERASED, MARKING } from "./scope";
import { finallyFreed, writeWindowBatches } from "./window-batches";
import { addToTotals } from "../run/ledger";

/**
 * DeleteObjects requests per batch: a batch's mark, window batches and
 * totals cost less per item in larger batches (docs/benchmarks.md,
 * bench:restore).
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

type Kept = { id: bigint; object_key: string | null };
/** A final deletion's mark and the kept items it holds. */
type Marked = { markId: bigint; items: Kept[] };

/** The incident of a kept payload or approval (`k`); null for any other category. */
const INCIDENT_OF = sql`CASE k.category
  WHEN 'INCIDENT_PAYLOADS' THEN k.item_id WHEN 'APPROVALS' THEN (k.row ->> 'incident_id')::int END`;

/**
 * A kept row (`k`) that a legal hold covers: its org's, or its incident's or
 * artifact's (the item itself, or what its kept row references); or whose
 * incident was reopened in the window (an open incident's are never purged).
 */
const HELD = sql`(
  EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = k.org_id AND h.scope = 'ORG' AND ${ACTIVE_HOLD})
  OR EXISTS (SELECT 1 FROM legal_holds h WHERE ${ACTIVE_HOLD} AND h.incident_id = ${INCIDENT_OF})
  OR EXISTS (SELECT 1 FROM incidents i WHERE i.id = ${INCIDENT_OF} AND i.status <> 'CLOSED')
  OR EXISTS (SELECT 1 FROM legal_holds h WHERE ${ACTIVE_HOLD} AND h.artifact_id = CASE k.category
       WHEN 'ARTIFACTS' THEN k.item_id WHEN 'IMAGE_ANALYSES' THEN (k.row ->> 'artifact_id')::int END))`;

/**
 * Marks the next kept items whose window passed (or that an erasure
 * covers) for the final deletion of `runId`, in one transaction: those not
 * restored, not under an active legal hold (read while the caller holds
 * the holds' gate, so a hold being placed waits), none this call already
 * failed. The mark is one row (final_deletion_marks), written under the
 * marks' gate, so no restore batch runs meanwhile; once it commits, a
 * restore refuses its items, so their objects may go. A mark left by a
 * delivery cut off (or still at work) is taken first, in this run's name,
 * without its items a hold placed since covers: deleting an object twice
 * is harmless, and only one clears it.
 */
async function markDue(
  engine: Engine,
  runId: string,
  failed: bigint[],
  size: number,
): Promise<Marked | null> {
  const now = engine.now();
  const due = (tx: Tx, where: Sql, limit: number) =>
    tx.$queryRaw<Kept[]>(sql`
      SELECT k.id, k.object_key FROM kept_items k
      WHERE ${where} AND k.restored_at IS NULL
        AND NOT (k.id = ANY(${failed}::bigint[])) AND NOT ${HELD}
      -- The index's own order (restored_at NULL here): the walk stays on rows not restored.
      ORDER BY k.restored_at, k.id LIMIT ${limit}`);
  return engine.db.$transaction(async (tx) => {
    await tx.$executeRaw(sql`SELECT ${MARKING}`);
    const [left] = await tx.$queryRaw<{ id: bigint }[]>(sql`
      UPDATE final_deletion_marks SET run_id = ${runId}
      WHERE id = (SELECT id FROM final_deletion_marks ORDER BY id LIMIT 1) RETURNING id`);
    if (left) {
      const items = await tx.$queryRaw<Kept[]>(sql`
        SELECT k.id, k.object_key FROM kept_items k, final_deletion_marks m
        WHERE m.id = ${left.id} AND k.id = ANY(m.kept_ids) AND NOT ${HELD}`);
      return { markId: left.id, items };
    }
    const items = await due(tx, sql`k.restorable_until <= ${now}::timestamptz`, size);
    if (items.length < size) {
      // Items an erasure covers go now, whatever their window: looked for only
      // while an erasure decided within the longest window could cover any.
      const [recent] = await tx.$queryRaw<{ any: boolean }[]>(sql`
        SELECT EXISTS (SELECT 1 FROM erasure_requests
          WHERE status IN ('APPROVED', 'EXECUTED', 'INCOMPLETE')
            AND decided_at >= ${now}::timestamptz - make_interval(days => ${MAX_RESTORE_DAYS})) AS any`);
      if (recent?.any)
        items.push(
          ...(await due(
            tx,
            sql`k.restorable_until > ${now}::timestamptz AND ${ERASED}`,
            size - items.length,
          )),
        );
    }
    if (items.length === 0) return null;
    const [mark] = await tx.$queryRaw<{ id: bigint }[]>(sql`
      INSERT INTO final_deletion_marks (run_id, kept_ids)
      VALUES (${runId}, ${items.map((k) => k.id)}::bigint[]) RETURNING id`);
    if (!mark) throw new Error("The final deletion's mark was not written");
    return { markId: mark.id, items };
  });
}

/**
 * Ends a mark whose objects were deleted: its window batches (with the
 * bytes freed, added to the purge totals and to the run that holds the
 * mark), then its kept rows whose objects are gone are deleted, the mark
 * with them. Those whose objects are not go back to waiting. Nothing when
 * another delivery ended the mark first.
 */
async function endMark(engine: Engine, markId: bigint, gone: bigint[]) {
  return engine.db.$transaction(async (tx) => {
    const [mark] = await tx.$queryRaw<{ run_id: string }[]>(sql`
      DELETE FROM final_deletion_marks WHERE id = ${markId} RETURNING run_id`);
    if (!mark) return { items: 0, bytes: 0n };
    const batches = await writeWindowBatches(tx, { finalRunId: mark.run_id }, gone);
    const deleted = await tx.$executeRaw(
      sql`DELETE FROM kept_items WHERE id = ANY(${gone}::bigint[])`,
    );
    const bytes = batches.reduce((sum, b) => sum + BigInt(b.bytes), 0n);
    if (batches.length) {
      await tx.$executeRaw(
        addToTotals(finallyFreed(sql`w.id = ANY(${batches.map((b) => b.id)}::bigint[])`)),
      );
      await tx.$executeRaw(
        sql`UPDATE purge_runs SET finally_freed = finally_freed + ${bytes} WHERE id = ${mark.run_id}`,
      );
    }
    return { items: deleted, bytes };
  });
}

/**
 * The daily run's final deletion: kept items past their restore window go
 * for good, a batch at a time until `deadline`. Each batch is marked, its
 * objects deleted (DeleteObjects, 1,000 keys a request), then its mark
 * ended (endMark). Each batch holds the holds' gate from its mark to its
 * end, as a purge batch holds its org: a hold placed meanwhile waits for
 * the batch, and every later batch sees it. A crash after the mark leaves
 * it: the next delivery deletes its objects again and ends it; a failed key
 * leaves its kept row for the next delivery.
 */
export async function finallyDeleteDue(
  engine: Engine,
  runId: string,
  deadline: number,
): Promise<FinalDeletion> {
  const size = Math.min(engine.settings.batchSize, MAX_KEYS_PER_DELETE) * REQUESTS_PER_BATCH;
  const result: FinalDeletion = { deleted: 0, bytesFreed: 0n, failed: 0, done: false };
  const failed: bigint[] = [];
  // The gate is taken on a connection of its own, for the batch's three steps: the
  // mark must commit before its objects go, so no one transaction can span them.
  const gate = new pg.Client({
    ...poolConfigFromUrl(engine.databaseUrl),
    application_name: "lethe-final-deletion-gate",
  });
  await gate.connect();
  try {
    while (Date.now() < deadline) {
      await gate.query("SELECT pg_advisory_lock_shared(hashtext($1))", [HOLDS_GATE_KEY]);
      try {
        const marked = await markDue(engine, runId, failed, size);
        if (!marked) return { ...result, done: failed.length === 0 };
        const keys = marked.items.flatMap((k) => (k.object_key ? [k.object_key] : []));
        const outcome = keys.length ? await engine.store.deleteMany(keys) : { deleted: [] };
        const deletedKeys = new Set(outcome.deleted);
        const gone: bigint[] = [];
        for (const k of marked.items)
          if (k.object_key === null || deletedKeys.has(k.object_key)) gone.push(k.id);
          else failed.push(k.id);
        const ended = await endMark(engine, marked.markId, gone);
        result.deleted += ended.items;
        result.bytesFreed += ended.bytes;
        result.failed = failed.length;
      } finally {
        await gate.query("SELECT pg_advisory_unlock_shared(hashtext($1))", [HOLDS_GATE_KEY]);
      }
    }
    return result;
  } finally {
    await gate.end();
  }
}
