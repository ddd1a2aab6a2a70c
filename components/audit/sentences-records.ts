import { formatBytes, formatCount } from "../format";
import { category, count, counted, covered, erasureScope, type Details } from "./sentence-words";

const sum = (counts: unknown, key: string) =>
  Object.values((counts ?? {}) as Record<string, Record<string, unknown>>).reduce(
    (total, c) => total + count(c[key]),
    0n,
  );

const digest = (d: Details) =>
  typeof d.sha256 === "string" ? ` (SHA-256 ${d.sha256.slice(0, 12)}…)` : "";

/** Why the guard paused a task, from what its review entry keeps. */
const paused = (d: Details) =>
  `${category(d.category)}: ${counted(count(d.count), "item", "items")}${
    d.windowWas !== undefined
      ? ` after its window shrank from ${String(d.windowWas)} to ${String(d.windowDays)} days`
      : ` against a baseline of ${formatCount(count(d.baseline))}`
  }`;

/**
 * Sentences of erasure requests, pins, the guard's reviews, exports,
 * deletion notices, evidence packs and the cleanup of old previews.
 */
export const RECORD_SENTENCES: Record<string, (d: Details) => string> = {
  "erasure.requested": (d) =>
    `requested the GDPR erasure of ${erasureScope(d)}: a second admin must approve it`,
  "erasure.approved": (d) =>
    `approved the GDPR erasure of ${erasureScope(d)}: ${counted(count(d.items), "artifact", "artifacts")} to erase`,
  "erasure.rejected": (d) => `rejected the GDPR erasure of ${erasureScope(d)}`,
  "pin.placed": (d) => `pinned ${covered(d)} until ${String(d.until)}: no purge deletes it before`,
  "pin.changed": (d) => `moved the pin to ${String(d.to)} (was ${String(d.from)})`,
  "pin.removed": (d) => `removed the pin (it ran until ${String(d.until)}): policy applies again`,
  "pin.ended": (d) =>
    `ended the pin on ${covered(d)} (it ran until ${String(d.until)}): GDPR erasure #${String(d.erasure)} erased it`,
  "purge.review.approved": (d) =>
    `approved what the guard paused, ${paused(d)}: its run deletes it`,
  "purge.review.rejected": (d) => `rejected what the guard paused, ${paused(d)}: this run keeps it`,
  "purge.previews_cleaned": (d) =>
    `removed the manifests of ${counted(count(d.plans), "expired or discarded preview", "expired or discarded previews")} (${formatCount(count(d.items))} items, ${formatCount(count(d.entries))} entries)${count(d.expired) > 0n ? `; ${formatCount(count(d.expired))} expired now` : ""}`,
  "export.requested": (d) =>
    `requested an export of what is due within ${counted(Number(d.withinDays), "day", "days")}, ${counted(Array.isArray(d.categories) ? d.categories.length : 0, "category", "categories")}${d.noticeId ? ", for a deletion notice" : ""}`,
  "export.built": (d) =>
    `built the export: ${counted(sum(d.counts, "rows"), "row", "rows")} and ${counted(sum(d.counts, "objects"), "file", "files")} (${formatBytes(BigInt(String(d.bytes ?? 0)))})${digest(d)}`,
  "export.downloaded": (d) => `the export was downloaded by its signed link${digest(d)}`,
  "export.expired": (d) =>
    d.objectDeleted ? "the export expired and its archive was deleted" : "the export expired",
  "notices.settings.saved": (d) =>
    `saved the deletion notices: ${counted(Number(d.recipients), "recipient", "recipients")}, ${counted(Number(d.leadDays), "day", "days")} ahead, ${d.webhook ? (d.webhookChanged ? "a new webhook" : "the webhook unchanged") : "no webhook"}${d.secretCreated ? ", a signing secret created" : ""}`,
  "notices.secret.rotated": () =>
    "rotated the webhook signing secret: the old one no longer verifies",
  "evidence.requested": (d) =>
    `requested an evidence pack of ${String(d.from)} to ${String(d.to)}, ${d.orgId === null || d.orgId === undefined ? "the whole fleet" : `org ${String(d.orgId)}`}`,
  "evidence.built": (d) =>
    `built the evidence pack: ${counted(count(d.items), "item", "items")}${count(d.mismatches) > 0n ? `; its reconciliation found ${counted(count(d.mismatches), "mismatch", "mismatches")}` : "; its reconciliation agrees"}${digest(d)}`,
  "evidence.downloaded": (d) => `downloaded the evidence pack${digest(d)}`,
};
