import type { RetentionCategory } from "../../generated/prisma/enums";
import { CATEGORIES } from "./index";

/**
 * Of the items a purge takes, how many it deletes and how many it only
 * archives (a category's `action`): a count of "deleted" items must not
 * hold prompts, which stay, archived.
 */
export type ActionCounts = { deletes: bigint; archives: bigint };

/** The categories whose purge archives an item rather than deleting it. */
export const ARCHIVING_CATEGORIES: RetentionCategory[] = CATEGORIES.filter(
  (c) => c.action === "archive",
).map((c) => c.key);

/** Items per category, summed by what purging does to them. */
export function countByAction(
  rows: { category: RetentionCategory; items: bigint | number }[],
): ActionCounts {
  const counts: ActionCounts = { deletes: 0n, archives: 0n };
  for (const row of rows) {
    if (ARCHIVING_CATEGORIES.includes(row.category)) counts.archives += BigInt(row.items);
    else counts.deletes += BigInt(row.items);
  }
  return counts;
}
