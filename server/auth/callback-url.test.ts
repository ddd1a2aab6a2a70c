import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

const CONSOLE = "https://lethe.example.com";

/** Where a browser on the console ends up after router.replace(path) or a redirect to it. */
const landsOn = (path: string) => new URL(path, `${CONSOLE}/login`).origin;

describe("the callback URL after sign-in is a path on the console itself", () => {
  it.each([
    "/\\evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "\t//evil.com",
    "//evil.com",
    "///evil.com",
    "\\\\evil.com",
    "/\\/evil.com",
    "https://evil.com",
    "https://lethe.example.com.evil.com/",
    "https://lethe.example.com@evil.com/",
    "http://lethe.example.com/runs",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "",
  ])("refuses %j: it becomes /", (hostile) => {
    expect(safeCallbackPath(hostile, CONSOLE)).toBe("/");
  });

  it.each([
    "/%09/evil.com",
    "/%5Cevil.com",
    "/%2F%2Fevil.com",
    "/%5C%5Cevil.com",
    "/.//evil.com",
    "https:evil.com",
  ])("keeps %j on the console: the browser reads no other host in it either", (encoded) => {
    const path = safeCallbackPath(encoded, CONSOLE);
    expect(path.startsWith("/") && !path.startsWith("//")).toBe(true);
    expect(landsOn(path)).toBe(CONSOLE);
  });

  it.each([
    ["/runs", "/runs"],
    ["/runs/abc?tab=tasks#errors", "/runs/abc?tab=tasks#errors"],
    ["/deletions?q=a%20b", "/deletions?q=a%20b"],
    [`${CONSOLE}/audit?actor=1`, "/audit?actor=1"],
    ["runs", "/runs"],
    [undefined, "/"],
    [null, "/"],
  ])("keeps the console's own %j as %j", (good, path) => {
    expect(safeCallbackPath(good, CONSOLE)).toBe(path);
  });
});
