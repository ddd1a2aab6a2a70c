import fc from "fast-check";

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

/**
 * A bad variant of a well-formed input, with the field to blame: the whole
 * input swapped for junk ("input"), one field swapped for a hostile value,
 * or one field left out.
 */
export function badVariant(sample: unknown): fc.Arbitrary<{ input: unknown; blame: string }> {
  const whole = hostileValue
    .filter((v) => typeof v !== "object" || v === null || Array.isArray(v))
    .map((input) => ({ input, blame: "input" }));
  if (typeof sample !== "object" || sample === null) return whole;
  const fields = Object.keys(sample);
  if (fields.length === 0) return whole;
  const swapped = fc
    .tuple(fc.constantFrom(...fields), hostileValue)
    .map(([field, value]) => ({ input: { ...sample, [field]: value }, blame: field }));
  const dropped = fc.constantFrom(...fields).map((field) => {
    const { [field]: _dropped, ...rest } = sample as Record<string, unknown>;
    return { input: rest, blame: field };
  });
  return fc.oneof({ arbitrary: swapped, weight: 4 }, { arbitrary: dropped, weight: 1 }, whole);
}
