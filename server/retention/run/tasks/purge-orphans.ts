import type { ObjectCategory } from "../../categories/category";
import type { Engine } from "../../deps";
import type { Tx } from "../../sql";
import type { BatchItem, BatchOutcome, SetAside } from "../batch-items";
import { heldOrgs } from "../set-aside";
import { deleteObjects } from "./delete-objects";

/** Orphan objects: skip any a row references by now, delete the rest. */
export async function purgeOrphans(
  tx: Tx,
  engine: Engine,
  category: ObjectCategory,
  items: BatchItem[],
): Promise<BatchOutcome> {
  const held = await heldOrgs(tx, [...new Set(items.map((i) => i.org_id))]);
  const skipped: SetAside[] = [];
  for (const item of items) {
    const reason = held.get(item.org_id);
    if (reason) skipped.push({ item, reason });
  }
  const open = items.filter((i) => !held.has(i.org_id));
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
