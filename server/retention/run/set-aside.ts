import type { RetentionCategory } from "../../generated/prisma/enums";
import type { RowCategory } from "../categories/category";
import { raw, sql, type Sql, type Tx } from "../sql";
import type { BatchItem, SetAside } from "./batch-items";
import { itemPin } from "../policy/pin-rules";
import { isoDay } from "../../calendar-day";

const REASON_LOOKUPS_PER_BATCH = 20;

/** The orgs among these under an active legal hold, with the reason an item of theirs is kept. */
export async function heldOrgs(tx: Tx, orgIds: number[]) {
  const rows = await tx.$queryRaw<{ org_id: number; id: number }[]>(sql`
    SELECT DISTINCT ON (org_id) org_id, id FROM legal_holds
    WHERE org_id = ANY(${orgIds}::int[]) AND scope = 'ORG' AND released_at IS NULL
    ORDER BY org_id, id`);
  return new Map(rows.map((r) => [r.org_id, `kept now: legal hold #${r.id} on the organization`]));
}

/**
 * Why an item of the manifest is not purged now: gone (another run purged
 * it), its org's hold, or what keeps it, looked up for the first few.
 */
async function skipReasons(
  tx: Tx,
  category: RowCategory,
  items: BatchItem[],
  held: Map<number, string>,
): Promise<SetAside[]> {
  if (items.length === 0) return [];
  const [row] = await tx.$queryRaw<{ ids: number[] | null }[]>(sql`
    SELECT array_agg(id) AS ids FROM ${raw(category.table)}
    WHERE id = ANY(${items.map((i) => i.item_id ?? 0)}::int[])`);
  const present = new Set(row?.ids ?? []);
  const skips: SetAside[] = [];
  let lookups = 0;
  for (const item of items) {
    if (item.item_id === null || !present.has(item.item_id)) {
      skips.push({ item, reason: "already gone" });
      continue;
    }
    let reason = held.get(item.org_id) ?? "no longer eligible under the plan's frozen terms";
    if (!held.has(item.org_id) && lookups < REASON_LOOKUPS_PER_BATCH) {
      lookups++;
      const facts = await category.facts(tx, item.item_id);
      const pin =
        facts && !facts.keptBecause
          ? await itemPin(tx, category.key, item.item_id, new Date())
          : null;
      reason = !facts
        ? "already gone"
        : facts.keptBecause
          ? `kept now: ${facts.keptBecause}`
          : pin
            ? `kept now: pin #${pin.id} until ${isoDay(pin.pinnedUntil)}`
            : reason;
    }
    skips.push({ item, reason });
  }
  return skips;
}

/** Why each of these items, taken by a batch but not purged by it, was kept. */
export async function whyKept(tx: Tx, category: RowCategory, kept: BatchItem[]) {
  // The windows leave out held orgs; which hold keeps an item is asked only when one is kept.
  const held =
    kept.length > 0 ? await heldOrgs(tx, [...new Set(kept.map((i) => i.org_id))]) : new Map();
  return skipReasons(tx, category, kept, held);
}

/**
 * Records the items `rows` selects (plan_item_id, plan_id, org_id, category,
 * state, reason) as set aside, in rows of their own: the manifest itself is
 * frozen. An item set aside again keeps the later reason.
 */
export const recordSetAside = (rows: Sql) => sql`
  INSERT INTO plan_item_set_asides (plan_item_id, plan_id, org_id, category, state, reason)
  ${rows}
  ON CONFLICT (plan_item_id) DO UPDATE SET state = excluded.state, reason = excluded.reason`;

/** Records why a batch passed these items of a plan's category by. */
export async function setAside(
  tx: Tx,
  of: { planId: string; category: RetentionCategory },
  state: "SKIPPED" | "FAILED",
  rows: SetAside[],
) {
  if (rows.length === 0) return;
  await tx.$executeRaw(
    recordSetAside(sql`
      SELECT r.id, ${of.planId}, r.org_id, ${of.category}::"RetentionCategory", ${state}::"ItemSetAside", r.reason
      FROM unnest(${rows.map((r) => r.item.id.toString())}::bigint[], ${rows.map((r) => r.item.org_id)}::int[],
                  ${rows.map((r) => r.reason)}::text[]) AS r(id, org_id, reason)`),
  );
}
