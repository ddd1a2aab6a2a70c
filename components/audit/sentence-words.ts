import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { formatCount } from "../format";

/** An audit entry's details, as stored. */
export type Details = Record<string, unknown>;

export const counted = (n: bigint | number, one: string, many: string) =>
  `${formatCount(n)} ${Number(n) === 1 ? one : many}`;

/** A count stored as a number or as a bigint's string. */
export const count = (value: unknown) => BigInt(String(value ?? 0));

export const days = (value: unknown) =>
  value === "unlimited" ? "unlimited" : `${String(value)} days`;

export const category = (value: unknown) =>
  CATEGORY_LABELS[value as RetentionCategory]?.toLowerCase() ?? String(value);

/** What a hold or pin covers, by id (no content in the log). */
export function covered(d: Details) {
  if (d.scope === "INCIDENT") return `incident #${String(d.incidentId)}`;
  if (d.scope === "ARTIFACT") return `artifact #${String(d.artifactId)}`;
  return "the whole organization";
}

/** What an erasure request covers. */
export const erasureScope = (d: Details) =>
  d.scope === "MEMBER" ? `member #${String(d.memberId)}'s artifacts` : "the organization";
