import type { inferRouterOutputs } from "@trpc/server";
import { describeScope } from "@/server/retention/erasure/scope";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { PurgeTrigger } from "@/server/generated/prisma/enums";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount } from "../format";

export type HistoryEntry = inferRouterOutputs<AppRouter>["orgs"]["history"]["entries"][number];
type RunEntry = Extract<HistoryEntry, { kind: "run" }>;
type Days = Extract<HistoryEntry, { kind: "override" }>["from"];

const RUN_NAMES: Record<PurgeTrigger, string> = {
  CRON: "Daily run",
  OPERATOR: "Manual run",
  API: "Run by API",
  ERASURE: "GDPR erasure run",
};

const items = (n: number | bigint, one = "item", many = `${one}s`) =>
  `${formatCount(n)} ${n === 1 || n === 1n ? one : many}`;

const days = (d: Days) =>
  d === "plan" ? "the plan's default" : d === "unlimited" ? "unlimited" : items(d, "day");

type CategoryEntry = RunEntry["categories"][number];

/** The bytes a run's deletions freed: at once, and at the end of their restore window. */
const freed = (c: CategoryEntry) => c.bytesFreed + (c.window?.freedAfter ?? 0n);

/** Bytes freed, and those that wait for a restore window's end: "(1.2 MB freed, 3 MB when…)". */
function bytesOf(freedNow: bigint, waiting: bigint, window: string) {
  if (waiting === 0n) return ` (${formatBytes(freedNow)})`;
  const later = `${formatBytes(waiting)} ${freedNow > 0n ? "more " : ""}freed when ${window} ends`;
  return ` (${freedNow > 0n ? `${formatBytes(freedNow)} freed, ` : ""}${later})`;
}

/**
 * What a run did to one category, in words: "deleted 2 items (3.9 KB), 1
 * skipped"; items purged into a restore window are freed when it ends.
 */
export function categoryOutcome(c: CategoryEntry) {
  const parts = [];
  const waiting = c.window?.waitingBytes ?? 0n;
  if (c.deleted > 0)
    parts.push(
      c.archived
        ? `archived ${items(c.deleted)}`
        : c.window
          ? `deleted ${items(c.deleted)} into its restore window${freed(c) > 0n || waiting > 0n ? bytesOf(freed(c), waiting, "it") : ""}`
          : `deleted ${items(c.deleted)} (${formatBytes(c.bytesFreed)})`,
    );
  if (c.window && c.window.restored > 0) parts.push(`${formatCount(c.window.restored)} restored`);
  if (c.skipped > 0) parts.push(`${formatCount(c.skipped)} skipped`);
  if (c.failed > 0) parts.push(`${formatCount(c.failed)} failed`);
  return `${CATEGORY_LABELS[c.category]}: ${parts.join(", ")}`;
}

function runSentence(e: RunEntry) {
  const sum = (pick: (c: CategoryEntry) => number, archived: boolean) =>
    e.categories.filter((c) => c.archived === archived).reduce((n, c) => n + pick(c), 0);
  const deleted = sum((c) => c.deleted, false);
  const archived = sum((c) => c.deleted, true);
  const bytes = e.categories.reduce((n, c) => n + freed(c), 0n);
  const waiting = e.categories.reduce((n, c) => n + (c.window?.waitingBytes ?? 0n), 0n);
  const setAside = e.categories.reduce((n, c) => n + c.skipped + c.failed, 0);
  const did = [
    deleted > 0 || archived === 0
      ? `deleted ${items(deleted)}${bytesOf(bytes, waiting, "the restore window")}`
      : null,
    archived > 0 ? `archived ${items(archived)}` : null,
  ].filter(Boolean);
  const count = e.categories.length;
  const where = count > 0 ? ` in ${items(count, "category", "categories")}` : "";
  const verb = e.status === "RUNNING" ? "has so far" : "";
  const tail =
    e.status === "FAILED"
      ? "; it failed"
      : e.status === "PARTIAL"
        ? "; it ended partial"
        : setAside > 0
          ? `; ${items(setAside)} set aside`
          : "";
  const name = e.erasureId ? `Run of GDPR erasure #${e.erasureId}` : RUN_NAMES[e.trigger];
  return `${name}${verb ? ` ${verb}` : ""} ${did.join(" and ")}${where}${tail}.`;
}

function previewSentence(e: Extract<HistoryEntry, { kind: "preview" }>) {
  const what = e.trigger === "ERASURE" ? "a GDPR erasure" : "a purge";
  const of =
    e.orgCount === 1 ? "of this organization" : `of ${formatCount(e.orgCount ?? 0)} organizations`;
  const would =
    e.items === null
      ? "its list of items was deleted with it"
      : `it would purge ${items(e.items)} (${formatBytes(e.bytes ?? 0n)})${e.orgCount === 1 ? "" : " of this organization"}`;
  const outcome = {
    open: "it is still open",
    expired: "it expired unconfirmed",
    discarded: "it was discarded",
  }[e.outcome];
  return `Previewed ${what} ${of}: ${would}; ${outcome}.`;
}

/** The entry as one readable sentence. */
export function historySentence(e: HistoryEntry): string {
  switch (e.kind) {
    case "run":
      return runSentence(e);
    case "restore": {
      const back = e.categories.map(
        (c) => `${CATEGORY_LABELS[c.category]} ${items(c.items)} (${formatBytes(c.bytes)})`,
      );
      return `Restored what a run purged, back as it was: ${back.join(", ")}.`;
    }
    case "preview":
      return previewSentence(e);
    case "hold": {
      const on =
        e.scope === "ORG"
          ? "the organization"
          : e.scope === "INCIDENT"
            ? `incident #${e.incidentId}`
            : `artifact #${e.artifactId}`;
      return e.event === "placed"
        ? `Legal hold #${e.id} placed on ${on}: “${e.reason}”.`
        : `Legal hold #${e.id} on ${on} released: what it kept is eligible again.`;
    }
    case "pin": {
      const on = e.scope === "INCIDENT" ? `incident #${e.incidentId}` : `artifact #${e.artifactId}`;
      if (e.event === "placed")
        return `Pin #${e.id} placed on ${on} until ${e.until}: “${e.reason}”.`;
      if (e.event === "changed") return `Pin #${e.id} on ${on} moved from ${e.from} to ${e.until}.`;
      if (e.event === "ended")
        return `Pin #${e.id} on ${on} ended before ${e.until}: GDPR erasure #${e.erasureId} erased it (only a legal hold keeps an item from an erasure).`;
      return `Pin #${e.id} on ${on} removed before ${e.until}: what it kept is under policy again.`;
    }
    case "override": {
      const category = CATEGORY_LABELS[e.category];
      if (e.event === "set") return `Override set for ${category}: ${days(e.to)}.`;
      if (e.event === "changed")
        return `Override for ${category} changed from ${days(e.from)} to ${days(e.to)}.`;
      return `Override for ${category} removed (was ${days(e.from)}): the plan's default applies again.`;
    }
    case "erasure": {
      if (e.event === "requested")
        return `GDPR erasure #${e.requestId} requested: ${describeScope(e.scope)}; now ${e.status.toLowerCase()}.`;
      return e.event === "rejected"
        ? `GDPR erasure #${e.requestId} rejected.`
        : `GDPR erasure #${e.requestId} approved: its run erases the artifacts in scope.`;
    }
    case "notice": {
      const how = e.deliveries
        .map((d) => `${d.channel === "WEBHOOK" ? "webhook" : "email"} ${d.status.toLowerCase()}`)
        .join(", ");
      return `Told that ${items(e.items)} (${formatBytes(e.bytes)}) fall due from ${e.firstDueDate}: ${how}.`;
    }
  }
}
