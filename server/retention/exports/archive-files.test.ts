import { describe, expect, it } from "vitest";
import { exportRow, objectPath } from "./archive-files";

describe("an object's path in the archive", () => {
  it.each([
    ["../../etc/passwd", "objects/ARTIFACTS/etc/passwd"],
    ["/etc/passwd", "objects/ARTIFACTS/etc/passwd"],
    ["orgs/1/../../../x.bin", "objects/ARTIFACTS/orgs/1/x.bin"],
    ["..\\..\\windows\\system32", "objects/ARTIFACTS/windows/system32"],
    ["C:\\boot.ini", "objects/ARTIFACTS/C_/boot.ini"],
    ["a/./b//c", "objects/ARTIFACTS/a/b/c"],
    ["new\nline\u0000.bin", "objects/ARTIFACTS/new_line_.bin"],
    ["..", "objects/ARTIFACTS/_"],
  ])("keeps %j inside objects/<category>/ as %j", (key, path) => {
    const p = objectPath("ARTIFACTS", key, 1, new Set());
    expect(p).toBe(path);
    expect(p.split("/")).not.toContain("..");
  });

  it("never gives two objects the same path", () => {
    const taken = new Set<string>();
    expect(objectPath("ARTIFACTS", "a/../b", 1, taken)).toBe("objects/ARTIFACTS/a/b");
    expect(objectPath("ARTIFACTS", "a/b", 2, taken)).toBe("objects/ARTIFACTS/a/b~2");
  });
});

describe("a row as an NDJSON line", () => {
  it("writes bigints as strings, bytes as base64 and times as ISO 8601, inside JSON columns too", () => {
    expect(
      exportRow({
        id: 7,
        bytes: 9_007_199_254_740_993n,
        blob: new Uint8Array([0, 1, 254, 255]),
        at: new Date("2026-12-01T10:00:00Z"),
        payload: { size: 5n, tags: ["a"], nothing: null },
      }),
    ).toEqual({
      id: 7,
      bytes: "9007199254740993",
      blob: "AAH+/w==",
      at: "2026-12-01T10:00:00.000Z",
      payload: { size: "5", tags: ["a"], nothing: null },
    });
  });
});
