import { describe, expect, it } from "vitest";
import { formatBytes, formatTimeLeft } from "./format";

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

describe("bytes, as every page and notice says them", () => {
  it("keeps three digits at most before the unit", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1000)).toBe("1.0 KB");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(1_030_000)).toBe("1.0 MB");
    expect(formatBytes(1288490188n)).toBe("1.2 GB");
  });
});
