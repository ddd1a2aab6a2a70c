import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const valid = { DATABASE_URL: "postgresql://u:p@localhost:5432/lethe" };

function problemsOf(source: Record<string, string | undefined>) {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems.join("\n");
    throw error;
  }
  return "";
}

describe("environment validation", () => {
  it("accepts a minimal development environment and applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.PURGE_BATCH_SIZE).toBe(1000);
    // PRODUCT.md: a preview expires after 15 minutes.
    expect(env.PLAN_TTL_MINUTES).toBe(15);
    expect(env.STORAGE_DIR).toBe(".lethe/storage");
  });

  it("caps open previews per person and overall: defaults, and names a bad value", () => {
    const env = parseEnv(valid);
    expect([env.PLAN_MAX_OPEN_PER_USER, env.PLAN_MAX_OPEN]).toEqual([5, 25]);
    expect(problemsOf({ ...valid, PLAN_MAX_OPEN_PER_USER: "0" })).toMatch(
      /PLAN_MAX_OPEN_PER_USER must allow at least 1 open preview/,
    );
    expect(problemsOf({ ...valid, PLAN_MAX_OPEN: "many" })).toMatch(
      /PLAN_MAX_OPEN must be a whole number of previews/,
    );
    expect(problemsOf({ ...valid, PLAN_MAX_OPEN_PER_USER: "10", PLAN_MAX_OPEN: "5" })).toMatch(
      /PLAN_MAX_OPEN_PER_USER must not be above PLAN_MAX_OPEN/,
    );
  });

  it("names a missing DATABASE_URL", () => {
    expect(problemsOf({})).toMatch(/DATABASE_URL .*required/);
  });

  it("names a DATABASE_URL that is not postgres", () => {
    expect(problemsOf({ DATABASE_URL: "mysql://x@y/z" })).toMatch(
      /DATABASE_URL must be a postgres:\/\/ URL/,
    );
  });

  it("names a retention window outside 1..2555 days", () => {
    expect(problemsOf({ ...valid, RETENTION_DAYS_FREE: "3000" })).toMatch(
      /RETENTION_DAYS_FREE must be -1 \(unlimited\) or between 1 and 2555 days/,
    );
    expect(problemsOf({ ...valid, RETENTION_DAYS_DRIFT_CHECKS_PRO: "abc" })).toMatch(
      /RETENTION_DAYS_DRIFT_CHECKS_PRO/,
    );
  });

  it("refuses a misspelled retention variable instead of silently ignoring it", () => {
    expect(problemsOf({ ...valid, RETENTION_DAYS_FRE: "30" })).toMatch(
      /RETENTION_DAYS_FRE is not a known variable/,
    );
  });

  it("refuses a window for data the plan does not have", () => {
    expect(problemsOf({ ...valid, RETENTION_DAYS_INCIDENT_PAYLOADS_FREE: "30" })).toMatch(
      /FREE has no incident_payloads/,
    );
  });

  it("requires NEXTAUTH_SECRET in production and S3 keys in pairs", () => {
    expect(problemsOf({ ...valid, NODE_ENV: "production" })).toMatch(
      /NEXTAUTH_SECRET is required in production/,
    );
    expect(problemsOf({ ...valid, S3_BUCKET: "b", S3_ACCESS_KEY_ID: "k" })).toMatch(
      /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together/,
    );
  });
});
