import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { formatBytes, formatCount } from "../format";

type Entry = inferRouterOutputs<AppRouter>["audit"]["list"]["entries"][number];
type Outcome = NonNullable<Entry["outcome"]>;

const counted = (n: bigint | number, one: string, many: string) =>
  `${formatCount(n)} ${Number(n) === 1 ? one : many}`;

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

const days = (value: unknown) => (value === "unlimited" ? "unlimited" : `${String(value)} days`);
const category = (value: unknown) =>
  CATEGORY_LABELS[value as RetentionCategory]?.toLowerCase() ?? String(value);

/** What a hold covers, by id (no content in the log). */
function held(d: Record<string, unknown>) {
  if (d.scope === "INCIDENT") return `incident #${String(d.incidentId)}`;
  if (d.scope === "ARTIFACT") return `artifact #${String(d.artifactId)}`;
  return "the whole organization";
}

const erased = (d: Record<string, unknown>) =>
  `erased ${counted(BigInt(String(d.erased ?? 0)), "artifact", "artifacts")} of ${d.scope === "MEMBER" ? `member #${String(d.memberId)}` : "the organization"}` +
  (Number(d.skipped) > 0 ? `; skipped ${formatCount(Number(d.skipped))}` : "") +
  (Number(d.failed) > 0 ? `; ${formatCount(Number(d.failed))} failed` : "");

/**
 * A release's reason, quoted after its sentence. A placement's entry keeps
 * only the length of its reason (the hold, pin or override keeps the text):
 * the audit log, which nothing rewrites, must not hold a name an operator typed.
 */
const because = (d: Record<string, unknown>) =>
  typeof d.reason === "string" && d.reason ? `: "${d.reason}"` : "";

/** Sentences of the other actions with counts or a change worth reading. */
const SENTENCES: Record<string, (d: Record<string, unknown>) => string> = {
  "hold.placed": (d) => `placed a legal hold on ${held(d)}`,
  "hold.released": (d) => `released the legal hold on ${held(d)}${because(d)}`,
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
};

/**
 * The categories a preview found items in, of those it looked at: the same
 * count its confirmation's entry gives (the categories its run has tasks in).
 * Entries written before the count was kept give only the categories looked at.
 */
function previewedCategories(d: Record<string, unknown>) {
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
  const d = (e.details ?? {}) as Record<string, unknown>;
  if (e.action === "purge.finished" && e.outcome) return finished(e.outcome);
  if (e.action === "purge.confirmed" && e.outcome)
    return `started a purge of ${counted(e.outcome.eligible, "item", "items")} in ${counted(e.outcome.categories, "category", "categories")} ${whose(e.outcome)}`;
  if (e.action === "purge.previewed") {
    const orgs = d.orgs === "all" ? "all orgs" : counted(Number(d.orgs), "org", "orgs");
    const of = e.orgName ? e.orgName : orgs;
    return `previewed ${counted(BigInt(String(d.items ?? 0)), "item", "items")} (${formatBytes(BigInt(String(d.bytes ?? 0)))}) in ${previewedCategories(d)} of ${of}`;
  }
  return SENTENCES[e.action]?.(d) ?? null;
}
