import { sql, type Sql, type Tx } from "../sql";
import { MANIFEST_EVIDENCE } from "../run/ledger";

/** Whose evidence a window batch is: a restore's, or a day's final deletion's. */
export type WindowEvidence = { restoreId: string } | { finalRunId: string };

/**
 * Writes the evidence of what a restore brought back or a final deletion
 * deleted: one window batch per run × org × category of these kept rows,
 * its item ids in manifest order with their digest, as every manifest
 * batch (MANIFEST_EVIDENCE). Returns the batches' ids and bytes.
 */
export async function writeWindowBatches(tx: Tx, evidence: WindowEvidence, keptIds: bigint[]) {
  const restoreId = "restoreId" in evidence ? evidence.restoreId : null;
  const finalRunId = "finalRunId" in evidence ? evidence.finalRunId : null;
  return tx.$queryRaw<{ id: bigint; bytes: bigint }[]>(sql`
    INSERT INTO window_batches (restore_id, final_run_id, kept_by_run_id, org_id, category, item_ids, sha256, bytes)
    SELECT ${restoreId}, ${finalRunId}, b.run_id, b.org_id, b.category, ordered.ids, ordered.sha256, b.bytes
    FROM (
      SELECT run_id, org_id, category, array_agg(item_id::text) AS item_ids, sum(bytes)::bigint AS bytes
      FROM kept_items WHERE id = ANY(${keptIds}::bigint[])
      GROUP BY run_id, org_id, category ORDER BY run_id, org_id, category) b
    ${MANIFEST_EVIDENCE}
    RETURNING id, bytes`);
}

/**
 * What final deletions freed, as the purge totals count it: a relation of
 * (plan, category, deleted, bytes_freed) over their window batches (`w`)
 * that `where` picks, each under the plan of the task that kept its items.
 * Its items were counted deleted by that task; its bytes are counted here.
 */
export const finallyFreed = (where: Sql): Sql => sql`(
  SELECT t.plan, w.category, 0::bigint AS deleted, w.bytes AS bytes_freed
  FROM window_batches w
  JOIN purge_tasks t ON t.run_id = w.kept_by_run_id AND t.org_id = w.org_id AND t.category = w.category
  WHERE w.final_run_id IS NOT NULL AND ${where})`;
