import { describe, expect, it } from "vitest";
import { parseFilters, parseFiltersStrictly } from "./filter-rules";

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

  it("for an API caller, names each parameter that is wrong", () => {
    const { error } = parseFiltersStrictly(params("from=2026-02-30&horizon=45&dir=up"));
    expect(error?.issues.map((i) => i.path.join(".")).sort()).toEqual(["dir", "from", "horizon"]);
    expect(parseFiltersStrictly(params("horizon=7&from=2026-02-28")).filters).toMatchObject({
      horizonDays: 7,
      from: "2026-02-28",
    });
  });
});
