import type { ObjectCategory } from "../../categories/category";
import type { Engine } from "../../deps";
import { lockEach } from "../../locks";
import { sql, type Tx } from "../../sql";
import type { BatchItem, BatchOutcome, SetAside } from "../batch-items";
import { heldOrgs } from "../set-aside";
import { deleteObjects } from "./delete-objects";
import type { Slice } from "./slices";

/**
 * Longer than any batch transaction (120 s): a batch of another run that
 * began before this plan was made may have committed after it listed the
 * bucket. Looking further back only ever skips more.
 */
const BATCH_OVERLAP = sql`interval '5 minutes'`;

/**
 * The keys among `items` another run has deleted since this run's plan
 * listed them. S3 deletes a missing key without a word, so only the runs'
 * own evidence (their manifest batches) tells an object already gone from
 * one this batch deletes. The orgs' orphan batches queue on a lock per org
 * for their transaction, so a batch sees what another run's batch on the
 * same org committed just before it.
 */
async function purgedByOtherRuns(tx: Tx, slice: Slice, items: BatchItem[]) {
  const orgIds = [...new Set(items.map((i) => i.org_id))];
  await lockEach(tx, "orphanBatch", orgIds);
  const rows = await tx.$queryRaw<{ key: string }[]>(sql`
    SELECT DISTINCT k.key FROM purge_tasks t
    JOIN manifest_batches b ON b.task_id = t.id
    CROSS JOIN LATERAL unnest(b.item_ids) AS k(key)
    WHERE t.org_id = ANY(${orgIds}::int[]) AND t.category = 'ORPHAN_OBJECTS' AND t.run_id <> ${slice.runId}
      AND b.created_at >= (SELECT created_at FROM purge_plans WHERE id = ${slice.planId}) - ${BATCH_OVERLAP}
      AND k.key = ANY(${items.map((i) => i.object_key ?? "")}::text[])`);
  return new Set(rows.map((r) => r.key));
}

/**
 * Orphan objects: skip any another run deleted since the plan listed them
 * (already gone) or a row references by now, delete the rest.
 */
export async function purgeOrphans(
  tx: Tx,
  engine: Engine,
  category: ObjectCategory,
  slice: Slice,
  items: BatchItem[],
): Promise<BatchOutcome> {
  const held = await heldOrgs(tx, [...new Set(items.map((i) => i.org_id))]);
  const gone = await purgedByOtherRuns(tx, slice, items);
  const skipped: SetAside[] = [];
  for (const item of items) {
    const reason = gone.has(item.object_key ?? "") ? "already gone" : held.get(item.org_id);
    if (reason) skipped.push({ item, reason });
  }
  const open = items.filter((i) => !held.has(i.org_id) && !gone.has(i.object_key ?? ""));
  const free = await category.stillUnreferenced(
    tx,
    open.map((i) => i.object_key ?? ""),
  );
  for (const item of open)
    if (!free.has(item.object_key ?? ""))
      skipped.push({ item, reason: "kept now: a row references it" });
  const objects = await deleteObjects(
    engine,
    open.filter((i) => free.has(i.object_key ?? "")),
    (i) => i.object_key ?? "",
  );
  return { deleted: objects.gone, skipped, failed: objects.failed, storeMs: objects.storeMs };
}
