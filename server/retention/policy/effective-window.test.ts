import { describe, expect, it } from "vitest";
import { effectiveWindow, overrideBounds, overrideProblem, planWindow } from "./effective-window";

describe("policy", () => {
  it("uses PRODUCT.md's plan defaults, and knows where a plan has no such data", () => {
    expect(planWindow("FREE", "ARTIFACTS", {})).toEqual({ days: 30, source: "plan" });
    expect(planWindow("ENTERPRISE", "ARTIFACTS", {})).toEqual({ days: null, source: "plan" });
    expect(planWindow("FREE", "INCIDENT_PAYLOADS", {})).toBeUndefined();
  });

  it("lets the environment override a plan, including to unlimited", () => {
    expect(planWindow("FREE", "ARTIFACTS", { RETENTION_DAYS_FREE: 45 })).toEqual({
      days: 45,
      source: "env",
    });
    expect(planWindow("ENTERPRISE", "ARTIFACTS", { RETENTION_DAYS_ENTERPRISE: -1 })).toEqual({
      days: null,
      source: "env",
    });
    expect(planWindow("BASIC", "TASK_QUEUE", { RETENTION_DAYS_TASK_QUEUE_BASIC: -1 })).toEqual({
      days: null,
      source: "env",
    });
    // The per-category variable wins over the plan's artifact shorthand.
    expect(
      planWindow("FREE", "ARTIFACTS", {
        RETENTION_DAYS_FREE: 45,
        RETENTION_DAYS_ARTIFACTS_FREE: -1,
      }),
    ).toEqual({ days: null, source: "env" });
  });

  it("bounds org overrides by the plan: half to four times the window, 7 years at most", () => {
    expect(overrideBounds("FREE", "ARTIFACTS", {})).toEqual({ floor: 15, ceiling: 120 });
    expect(overrideBounds("ENTERPRISE", "INCIDENT_PAYLOADS", {})).toEqual({
      floor: 1278,
      ceiling: 2555,
    });
    expect(overrideBounds("ENTERPRISE", "ARTIFACTS", {})).toEqual({ floor: 365, ceiling: null });
    expect(overrideBounds("FREE", "APPROVALS", {})).toBeNull();
  });

  it("explains why an override is refused", () => {
    expect(overrideProblem("FREE", "ARTIFACTS", 10, {})).toMatch(
      /outside the FREE plan's bounds.*15–120 days/,
    );
    expect(overrideProblem("FREE", "ARTIFACTS", null, {})).toMatch(
      /Unlimited retention is not allowed on FREE/,
    );
    expect(overrideProblem("FREE", "APPROVALS", 30, {})).toMatch(/FREE plan has no approvals/);
    expect(overrideProblem("PRO", "BACKUPS", 30, {})).toMatch(/kept by count/);
    expect(overrideProblem("FREE", "ARTIFACTS", 60, {})).toBeNull();
  });

  it("clamps a saved override into bounds that moved after it was saved", () => {
    expect(effectiveWindow("FREE", "ARTIFACTS", {}, 60)).toEqual({ days: 60, source: "override" });
    expect(effectiveWindow("FREE", "ARTIFACTS", { RETENTION_DAYS_FREE: 10 }, 60)).toEqual({
      days: 40,
      source: "override",
    });
  });
});
