import type { RetentionCategory } from "../../generated/prisma/enums";

/** The archive's format, named in its manifest. */
export const EXPORT_FORMAT = "lethe-export/1";

/**
 * A column's value as JSON: bigints as decimal strings (no precision lost
 * above 2^53), bytes as base64, times as ISO 8601, decimals as their
 * digits; JSON columns and arrays as they are, their values converted alike.
 */
export function exportValue(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(exportValue);
  if (value !== null && typeof value === "object") {
    // Prisma's Decimal (decimal.js) prints its exact digits.
    if (value.constructor?.name === "Decimal") return String(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exportValue(v)]));
  }
  return value;
}

/** A live row as one NDJSON line's object. */
export const exportRow = (row: Record<string, unknown>) =>
  exportValue(row) as Record<string, unknown>;

/**
 * Where an object goes in the archive: `objects/<category>/<key>`, the key
 * reduced to plain path segments. No `..`, `.`, empty or absolute segment,
 * no backslash and no control character survives, so whatever a tenant
 * named an object, unzipping the archive cannot write outside its folder.
 * A key that reduces to a path already taken gets its item id appended.
 */
export function objectPath(
  category: RetentionCategory,
  key: string,
  itemId: number,
  taken: Set<string>,
) {
  const segments = key
    .split(/[/\\]+/)
    .map((s) => s.replace(/[\u0000-\u001f\u007f:]/g, "_"))
    .filter((s) => s !== "" && s !== "." && s !== "..");
  let path = `objects/${category}/${segments.length > 0 ? segments.join("/") : "_"}`;
  if (taken.has(path)) path = `${path}~${itemId}`;
  taken.add(path);
  return path;
}
