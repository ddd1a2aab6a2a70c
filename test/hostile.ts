import fc from "fast-check";
import type { z } from "zod";
import { fieldVariants, type FieldKind } from "./input-fields";

/**
 * Values no number, calendar-day or date field of Lethe takes, by kind:
 * past a Postgres integer, negative, not a number, not finite, not whole;
 * days that do not exist or lie outside 1970–9999; instants at and beyond
 * the ends of what JavaScript and Postgres can hold. Each must be refused
 * by validation, naming its field, before it reaches the database.
 */
export const OUT_OF_RANGE: Record<FieldKind, readonly unknown[]> = {
  number: [2 ** 31, -(2 ** 31) - 1, -1, NaN, Infinity, -Infinity, Number("1e400"), 1.5, 2 ** 53],
  day: [
    "2026-13-45",
    "2026-02-30",
    "2025-02-29",
    "2026-04-31",
    "2026-00-10",
    "0000-01-01",
    "1969-12-31",
    "10000-01-01",
    "+275760-09-13",
    "2026-1-1",
    "",
  ],
  instant: [
    new Date(-8.64e15),
    new Date(8.64e15),
    new Date("0001-01-01T00:00:00Z"),
    new Date("1969-12-31T23:59:59Z"),
    new Date("+010000-01-01T00:00:00Z"),
  ],
};

/** Values no well-meaning form sends: wrong types, edges of ranges, junk text. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    -1,
    0,
    1.5,
    2 ** 31,
    2 ** 53,
    -(2 ** 63),
    1e308,
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "'; DROP TABLE users; --",
    "9".repeat(40),
    "x".repeat(10_001),
    "2026-13-45",
    "NaN",
    [],
    [null],
    {},
    { nested: { deeper: [1, "two"] } },
  ),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.date({ noInvalidDate: true }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A bad input, the field to blame, and whether it must be refused (an out-of-range value). */
export type BadInput = { input: unknown; blame: string; outOfRange: boolean };

/**
 * A bad variant of a well-formed input, with the field to blame: the whole
 * input swapped for junk ("input"), one field swapped for a hostile value,
 * one field left out, or (given the input's schema) any number, day or date
 * field, nested ones included, set to a value out of its range.
 */
export function badVariant(sample: unknown, schema?: z.ZodType): fc.Arbitrary<BadInput> {
  const whole = hostileValue
    .filter((v) => typeof v !== "object" || v === null || Array.isArray(v))
    .map((input) => ({ input, blame: "input", outOfRange: false }));
  const outOfRange = schema ? fieldVariants(schema, sample, (kind) => OUT_OF_RANGE[kind]) : [];
  const derived = outOfRange.length
    ? [
        {
          arbitrary: fc
            .constantFrom(...outOfRange)
            .map(({ input, path }) => ({ input, blame: path, outOfRange: true })),
          weight: 3,
        },
      ]
    : [];
  const record = typeof sample === "object" && sample !== null ? { ...sample } : {};
  const fields = Object.keys(record);
  if (fields.length === 0) return fc.oneof({ arbitrary: whole, weight: 1 }, ...derived);
  const swapped = fc.tuple(fc.constantFrom(...fields), hostileValue).map(([field, value]) => ({
    input: { ...record, [field]: value },
    blame: field,
    outOfRange: false,
  }));
  const dropped = fc.constantFrom(...fields).map((field) => {
    const { [field]: _dropped, ...rest } = record as Record<string, unknown>;
    return { input: rest, blame: field, outOfRange: false };
  });
  return fc.oneof(
    { arbitrary: swapped, weight: 4 },
    { arbitrary: dropped, weight: 1 },
    { arbitrary: whole, weight: 1 },
    ...derived,
  );
}
