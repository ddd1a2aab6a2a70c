import type { ActionCounts } from "@/server/retention/categories/actions";
import { formatCount } from "../format";

/** Each action as the preview ("deletes"), the confirmation ("delete") and the result ("Deleted") say it. */
const WORDS = {
  deletes: { preview: "deletes", confirm: "delete", result: "Deleted" },
  archives: { preview: "archives", confirm: "archive", result: "Archived" },
} as const;

/**
 * What a purge does, action by action, in the words of every screen that
 * counts it: a count of deleted items never holds archived ones. Actions
 * with no items are left out, unless none has any (then "deletes 0").
 */
export function actionParts(counts: ActionCounts) {
  const parts = (["deletes", "archives"] as const)
    .filter((action) => counts[action] > 0n)
    .map((action) => ({ action, count: counts[action], words: WORDS[action] }));
  return parts.length > 0
    ? parts
    : [{ action: "deletes" as const, count: 0n, words: WORDS.deletes }];
}

/** The preview's line: "deletes 2,358 · archives 7". */
export const previewActions = (counts: ActionCounts) =>
  actionParts(counts)
    .map((p) => `${p.words.preview} ${formatCount(p.count)}`)
    .join(" · ");

/** The confirmation's: "delete 2,358 and archive 7 items". */
export const confirmActions = (counts: ActionCounts) =>
  actionParts(counts)
    .map((p) => `${p.words.confirm} ${formatCount(p.count)}`)
    .join(" and ") + " items";
