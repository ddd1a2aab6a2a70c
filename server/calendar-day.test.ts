import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isCalendarDay, isStorableDay } from "./calendar-day";
import { calendarDay } from "./trpc/schemas";

const digits = (n: number) =>
  fc.array(fc.constantFrom(..."0123456789"), { minLength: n, maxLength: n }).map((d) => d.join(""));
/** YYYY-MM-DD shapes, most of them no real day: month 00–99, day 00–99. */
const dayShaped = fc.tuple(digits(4), digits(2), digits(2)).map(([y, m, d]) => `${y}-${m}-${d}`);
const realDay = fc
  .date({
    min: new Date("0001-01-01T00:00:00Z"),
    max: new Date("9999-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

describe("a calendar day read from a page's address", () => {
  it("is a day exactly when the procedures' schema library says so", () => {
    fc.assert(
      fc.property(fc.oneof(dayShaped, realDay, fc.string()), (text) => {
        expect(isCalendarDay(text)).toBe(z.iso.date().safeParse(text).success);
      }),
      { numRuns: 5_000 },
    );
  });

  it("passes the procedures' rule exactly when it is a day Lethe can store", () => {
    for (const day of [
      "2024-02-29",
      "2026-02-29",
      "1969-12-31",
      "1970-01-01",
      "9999-12-31",
      "2026-1-01",
    ])
      expect(calendarDay.safeParse(day).success).toBe(isCalendarDay(day) && isStorableDay(day));
  });
});
