import type { RunScope } from "@/server/console/run-scope";
import type { PurgeTrigger } from "@/server/generated/prisma/enums";
import { formatCount } from "../format";

const counted = (n: number, one: string, many: string) =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

/** "1 org (Acme) · 3 categories", "all 40 orgs, 3 of them left out by a legal hold · 13 categories". */
export function describeRunScope(s: RunScope) {
  const orgs = s.allOrgs
    ? s.orgCount === null
      ? "all orgs"
      : `all ${counted(s.orgCount, "org", "orgs")}`
    : counted(s.orgCount ?? 0, "org", "orgs");
  const named = s.orgNames.length ? ` (${s.orgNames.join(", ")})` : "";
  const held = s.heldOut ? `, ${formatCount(s.heldOut)} of them left out by a legal hold` : "";
  const categories =
    s.categoryCount === null
      ? "all categories"
      : counted(s.categoryCount, "category", "categories");
  return `${orgs}${named}${held} · ${s.chosenItems ? `chosen items of ${categories}` : categories}`;
}

/** How a run came to be, in a word: who started it is its own label (server/retention/evidence/actor-label.ts). */
export const TRIGGER_LABELS: Record<PurgeTrigger, string> = {
  CRON: "daily",
  OPERATOR: "console",
  API: "API",
  ERASURE: "erasure",
};
