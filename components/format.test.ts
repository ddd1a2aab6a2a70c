import { describe, expect, it } from "vitest";
import { formatTimeLeft } from "./format";

describe("the time a dry run has left, as its progress bar says it", () => {
  it("says it is estimating until there is a rate, then rounds to minutes and hours", () => {
    expect(formatTimeLeft(null)).toBe("estimating…");
    expect(formatTimeLeft(0)).toBe("less than a minute left");
    expect(formatTimeLeft(59)).toBe("less than a minute left");
    expect(formatTimeLeft(100)).toBe("about 2 min left");
    expect(formatTimeLeft(59 * 60)).toBe("about 59 min left");
    expect(formatTimeLeft(59 * 60 + 50)).toBe("about 1 h left");
    expect(formatTimeLeft(70 * 60 + 10)).toBe("about 1 h 10 min left");
  });
});
