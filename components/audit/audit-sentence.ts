import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount } from "../format";
import { ACCOUNT_SENTENCES } from "./sentences-accounts";
import { RECORD_SENTENCES } from "./sentences-records";
import { category, count, counted, covered, days, type Details } from "./sentence-words";

type Entry = inferRouterOutputs<AppRouter>["audit"]["list"]["entries"][number];
type Outcome = NonNullable<Entry["outcome"]>;

const whose = (o: Outcome) =>
  o.orgName ? `for ${o.orgName}` : `across ${counted(o.orgs, "org", "orgs")}`;

function finished(o: Outcome) {
  const done = [
    ...(o.deleted > 0n || o.archived === 0n
      ? [`deleted ${counted(o.deleted, "item", "items")}`]
      : []),
    ...(o.archived > 0n ? [`archived ${formatCount(o.archived)}`] : []),
  ].join(" and ");
  const freed = o.bytesFreed > 0n ? ` (${formatBytes(o.bytesFreed)} freed)` : "";
  const setAside = [
    ...(o.skipped > 0n ? [`skipped ${formatCount(o.skipped)}`] : []),
    ...(o.failed > 0n ? [`${formatCount(o.failed)} failed`] : []),
  ];
  return `${done} in ${counted(o.categories, "category", "categories")} ${whose(o)}${freed}${setAside.length ? `; ${setAside.join(", ")}` : ""}`;
}

const erased = (d: Details) =>
  `erased ${counted(BigInt(String(d.erased ?? 0)), "artifact", "artifacts")} of ${d.scope === "MEMBER" ? `member #${String(d.memberId)}` : "the organization"}` +
  (Number(d.skipped) > 0 ? `; skipped ${formatCount(Number(d.skipped))}` : "") +
  (Number(d.failed) > 0 ? `; ${formatCount(Number(d.failed))} failed` : "") +
  (count(d.keptByHold) > 0n ? `; ${formatCount(count(d.keptByHold))} kept by a legal hold` : "");

/**
 * A release's reason, quoted after its sentence. A placement's entry keeps
 * only the length of its reason (the hold, pin or override keeps the text):
 * the audit log, which nothing rewrites, must not hold a name an operator typed.
 */
const because = (d: Details) => (typeof d.reason === "string" && d.reason ? `: "${d.reason}"` : "");

/** Sentences of the other actions. */
const SENTENCES: Record<string, (d: Details) => string> = {
  "hold.placed": (d) => `placed a legal hold on ${covered(d)}`,
  "hold.released": (d) => `released the legal hold on ${covered(d)}${because(d)}`,
  "policy.override.set": (d) =>
    `set ${category(d.category)} to ${days(d.to)} (was ${d.from === "plan" ? "the plan's default" : days(d.from)})`,
  "policy.override.cleared": (d) =>
    `cleared the override of ${category(d.category)} (was ${days(d.was)}): the plan's default applies`,
  "purge.discarded": (d) =>
    d.planning
      ? "cancelled a dry run before it finished planning"
      : `discarded a preview of ${counted(BigInt(String(d.items ?? 0)), "item", "items")}`,
  "purge.restored": (d) =>
    `restored ${counted(Number(d.items ?? 0), "item", "items")} (${formatBytes(BigInt(String(d.bytes ?? 0)))}) of ${String(d.scope)}, back as they were before the purge`,
  "erasure.executed": erased,
  "erasure.incomplete": (d) => `${erased(d)}: incomplete`,
  ...ACCOUNT_SENTENCES,
  ...RECORD_SENTENCES,
};

/**
 * The categories a preview found items in, of those it looked at: the same
 * count its confirmation's entry gives (the categories its run has tasks in).
 * Entries written before the count was kept give only the categories looked at.
 */
function previewedCategories(d: Details) {
  const requested = counted(Number(d.categories ?? 0), "category", "categories");
  const found = d.categoriesWithItems;
  return typeof found === "number" && found !== Number(d.categories)
    ? `${found} of ${requested}`
    : requested;
}

/**
 * What an entry's counts say, as a sentence ("deleted 2,358 items and
 * archived 7 in 3 categories for Acme"); null where the log has no sentence
 * for the action and its details are shown as they are.
 */
export function describeAuditEntry(e: Entry): string | null {
  const d = (e.details ?? {}) as Details;
  if (e.action === "purge.finished" && e.outcome) return finished(e.outcome);
  if (e.action === "purge.confirmed" && e.outcome)
    return `started a purge of ${counted(e.outcome.eligible, "item", "items")} in ${counted(e.outcome.categories, "category", "categories")} ${whose(e.outcome)}`;
  if (e.action === "purge.previewed") {
    const orgs = d.orgs === "all" ? "all orgs" : counted(Number(d.orgs), "org", "orgs");
    const of = e.orgName ? e.orgName : orgs;
    return `previewed ${counted(BigInt(String(d.items ?? 0)), "item", "items")} (${formatBytes(BigInt(String(d.bytes ?? 0)))}) in ${previewedCategories(d)} of ${of}`;
  }
  const sentence = SENTENCES[e.action]?.(d) ?? null;
  // An entry missing a field its sentence reads (written before it was kept) shows its details instead.
  return sentence && !/\b(NaN|undefined)\b/.test(sentence) ? sentence : null;
}
