import { describe, expect, it } from "vitest";
import { readAuditFilters } from "../audit/audit-filters";
import { parseFilters, parseFiltersStrictly, readFilters } from "./filter-rules";
import { chartDays } from "./filters";

const params = (query: string) => new URLSearchParams(query);

describe("the Upcoming deletions filters in the URL", () => {
  it("a shared link with values the page cannot use falls back to their defaults, keeping the rest", () => {
    expect(
      parseFilters(params("horizon=45&plan=PRO&from=2026-13-45&to=2026-01-10&page=2147483648")),
    ).toMatchObject({ horizonDays: 30, plan: "PRO", from: null, to: "2026-01-10", page: 1 });
    // Days in the wrong order: the end is dropped, once the other bad values are.
    expect(parseFilters(params("horizon=abc&from=2026-02-01&to=2026-01-01"))).toMatchObject({
      horizonDays: 30,
      from: "2026-02-01",
      to: null,
    });
  });

  it("says which of the link's filters it left out, and why", () => {
    const { filters, unused } = readFilters(
      params("category=NOPE&plan=PRO&from=2026-02-01&to=2026-01-01"),
    );
    expect(filters).toMatchObject({ category: null, plan: "PRO", from: "2026-02-01", to: null });
    expect(unused.map((u) => [u.key, u.value])).toEqual([
      ["category", "NOPE"],
      ["to", "2026-01-01"],
    ]);
    expect(unused.every((u) => u.why.length > 0)).toBe(true);
    expect(readFilters(params("plan=PRO")).unused).toEqual([]);
  });

  it("for an API caller, names each parameter that is wrong", () => {
    const { error } = parseFiltersStrictly(params("from=2026-02-30&horizon=45&dir=up"));
    expect(error?.issues.map((i) => i.path.join(".")).sort()).toEqual(["dir", "from", "horizon"]);
    expect(parseFiltersStrictly(params("horizon=7&from=2026-02-28")).filters).toMatchObject({
      horizonDays: 7,
      from: "2026-02-28",
    });
  });
});

describe("the audit log's filters in the URL", () => {
  it("an org, a day or a page that does not parse is left out, and listed as left out", () => {
    const { filters, unused } = readAuditFilters(
      params("org=acme&from=2026-13-01&to=2026-11-30&action=purge.&page=0"),
    );
    expect(filters).toMatchObject({
      org: null,
      from: null,
      to: "2026-11-30",
      action: "purge.",
      page: 1,
    });
    expect(unused).toEqual([
      { key: "org", value: "acme", why: "not an organization id" },
      { key: "from", value: "2026-13-01", why: "not a day, YYYY-MM-DD" },
      { key: "page", value: "0", why: "not a page number" },
    ]);
    expect(readAuditFilters(params("org=12")).unused).toEqual([]);
  });
});

describe("the forecast chart's days", () => {
  const asOf = new Date("2026-12-07T09:00:00Z");
  it("are every day after the forecast's to the horizon's end, days with nothing due included", () => {
    const { days, first, last } = chartDays(asOf, 7, { from: null, to: null });
    expect([first, last]).toEqual(["2026-12-08", "2026-12-14"]);
    expect(days).toEqual(["08", "09", "10", "11", "12", "13", "14"].map((d) => `2026-12-${d}`));
  });

  it("within a chosen range, clipped to the horizon", () => {
    expect(chartDays(asOf, 30, { from: "2026-12-10", to: "2026-12-12" }).days).toEqual([
      "2026-12-10",
      "2026-12-11",
      "2026-12-12",
    ]);
    expect(chartDays(asOf, 7, { from: "2026-12-01", to: "2027-02-01" })).toMatchObject({
      first: "2026-12-08",
      last: "2026-12-14",
    });
  });
});
