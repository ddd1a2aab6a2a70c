import { sql, type Tx } from "./sql";

/**
 * The first key of each two-key advisory lock the engine takes, one per
 * kind of thing it serializes, kept together so no two kinds share one
 * (the second key is that thing's id).
 */
const KEYED_LOCKS = {
  /** A person's previews, against their cap of open ones (user id). */
  previewCap: 0x50524556, // "PREV"
  /** An org's orphan batches, which must see each other's manifests (org id). */
  orphanBatch: 0x4f525048, // "ORPH"
  /** An org's erasure requests, which must not repeat an open one (org id). */
  erasureRequest: 0x45524153, // "ERAS"
} as const;

/**
 * Takes the `kind` lock of each id for the transaction, in ascending id
 * order, as every taker does: two never wait on each other in turn.
 */
export async function lockEach(tx: Tx, kind: keyof typeof KEYED_LOCKS, ids: number[]) {
  const ordered = [...new Set(ids)].sort((a, b) => a - b);
  await tx.$executeRaw(sql`
    SELECT pg_advisory_xact_lock(${KEYED_LOCKS[kind]}::int, id) FROM unnest(${ordered}::int[]) AS id`);
}
