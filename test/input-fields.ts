import type { z } from "zod";

/** What a field of an input takes, as far as out-of-range values go. */
export type FieldKind = "number" | "day" | "instant";

/** An input with one field set to `value`, and the path zod names it by ("only.ids.0"). */
export type FieldVariant = { input: unknown; path: string; kind: FieldKind; value: unknown };

type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  format?: string;
  values?: unknown[];
  entries?: Record<string, unknown>;
};

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch"]);
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function kindOf(def: Def): FieldKind | null {
  if (def.type === "number") return "number";
  if (def.type === "date") return "instant";
  if (def.type === "string" && def.format === "date") return "day";
  // A choice of numbers (7, 30 or 90 days) is a number field too.
  const literals = def.type === "union" ? def.options?.map(defOf) : null;
  if (literals?.every((o) => o.type === "literal" && o.values?.every((v) => typeof v === "number")))
    return "number";
  return null;
}

/** A value the schema accepts, or near enough, for a parent a sample does not have. */
function exampleOf(schema: z.ZodType): unknown {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType) return exampleOf(def.innerType);
  if (def.type === "pipe" && def.in) return exampleOf(def.in);
  switch (def.type) {
    case "object":
      return Object.fromEntries(
        Object.entries(def.shape ?? {})
          .filter(([, field]) => !["optional", "default"].includes(defOf(field).type))
          .map(([key, field]) => [key, exampleOf(field)]),
      );
    case "array":
      return def.element ? [exampleOf(def.element)] : [];
    case "union":
      return def.options?.[0] ? exampleOf(def.options[0]) : null;
    case "enum":
      return Object.values(def.entries ?? {})[0];
    case "literal":
      return def.values?.[0];
    case "number":
      return 1;
    case "boolean":
      return false;
    case "date":
      return new Date("2026-01-01T00:00:00Z");
    default:
      return def.format === "date" ? "2026-01-15" : "x";
  }
}

/**
 * Every number, calendar-day and date field of `schema`, nested ones
 * included, read from the schema itself so a field added tomorrow is
 * covered: for each, `sample` with that one field set to each of
 * `valuesFor(kind)`. A field under a union is reached through each option,
 * with the option's discriminator set.
 */
export function fieldVariants(
  schema: z.ZodType,
  sample: unknown,
  valuesFor: (kind: FieldKind) => readonly unknown[],
): FieldVariant[] {
  return walk(schema, sample, valuesFor).map((v) => ({ ...v, path: v.path.join(".") }));
}

type Found = Omit<FieldVariant, "path"> & { path: (string | number)[] };

function walk(
  schema: z.ZodType,
  sample: unknown,
  valuesFor: (kind: FieldKind) => readonly unknown[],
): Found[] {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType) return walk(def.innerType, sample, valuesFor);
  if (def.type === "pipe" && def.in) return walk(def.in, sample, valuesFor);
  const kind = kindOf(def);
  if (kind) return valuesFor(kind).map((value) => ({ input: value, path: [], kind, value }));
  if (def.type === "object" && def.shape) {
    const base = isRecord(sample) ? sample : (exampleOf(schema) as Record<string, unknown>);
    return Object.entries(def.shape).flatMap(([key, field]) =>
      walk(field, base[key], valuesFor).map((v) => ({
        ...v,
        input: { ...base, [key]: v.input },
        path: [key, ...v.path],
      })),
    );
  }
  if (def.type === "array" && def.element) {
    const element = Array.isArray(sample) && sample.length ? sample[0] : undefined;
    return walk(def.element, element, valuesFor).map((v) => ({
      ...v,
      input: [v.input],
      path: [0, ...v.path],
    }));
  }
  if (def.type === "union" && def.options) {
    return def.options.flatMap((option) => {
      const literals = Object.entries(defOf(option).shape ?? {}).filter(
        ([, field]) => defOf(field).type === "literal",
      );
      const base = isRecord(sample)
        ? { ...sample, ...Object.fromEntries(literals.map(([k, f]) => [k, defOf(f).values?.[0]])) }
        : sample;
      return walk(option, base, valuesFor);
    });
  }
  return [];
}
