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

  it("sets the guard's factor and floor: defaults, and names a bad value", () => {
    const env = parseEnv(valid);
    expect([env.GUARD_FACTOR, env.GUARD_FLOOR]).toEqual([3, 1000]);
    expect(parseEnv({ ...valid, GUARD_FACTOR: "2.5", GUARD_FLOOR: "0" })).toMatchObject({
      GUARD_FACTOR: 2.5,
      GUARD_FLOOR: 0,
    });
    expect(problemsOf({ ...valid, GUARD_FACTOR: "1" })).toMatch(
      /GUARD_FACTOR must be above 1: a daily task at its usual count must not wait for review/,
    );
    expect(problemsOf({ ...valid, GUARD_FACTOR: "triple" })).toMatch(
      /GUARD_FACTOR must be a number/,
    );
    expect(problemsOf({ ...valid, GUARD_FLOOR: "-1" })).toMatch(
      /GUARD_FLOOR must be 0 or more items/,
    );
    expect(problemsOf({ ...valid, GUARD_FLOOR: "10.5" })).toMatch(
      /GUARD_FLOOR must be a whole number of items/,
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

  it("reads a restore window and names a bad one, or one for a category without a window", () => {
    const env = parseEnv({ ...valid, RESTORE_DAYS_ARTIFACTS_PRO: "14" }) as Record<string, unknown>;
    expect(env.RESTORE_DAYS_ARTIFACTS_PRO).toBe(14);
    expect(problemsOf({ ...valid, RESTORE_DAYS_BACKUPS_FREE: "-1" })).toMatch(
      /RESTORE_DAYS_BACKUPS_FREE must be 0 \(deleted at once\) or more days/,
    );
    expect(problemsOf({ ...valid, RESTORE_DAYS_APPROVALS_PRO: "91" })).toMatch(
      /RESTORE_DAYS_APPROVALS_PRO must be at most 90 days/,
    );
    expect(problemsOf({ ...valid, RESTORE_DAYS_DRIFT_CHECKS_PRO: "7" })).toMatch(
      /RESTORE_DAYS_DRIFT_CHECKS_PRO is not a known variable/,
    );
  });

  it("names a short METRICS_TOKEN and a bad TRUSTED_PROXY_HOPS", () => {
    expect(problemsOf({ ...valid, METRICS_TOKEN: "short" })).toMatch(
      /METRICS_TOKEN must be at least 16 characters/,
    );
    expect(problemsOf({ ...valid, TRUSTED_PROXY_HOPS: "one" })).toMatch(
      /TRUSTED_PROXY_HOPS must be a whole number of proxies/,
    );
  });

  it("requires S3 keys in pairs", () => {
    expect(problemsOf({ ...valid, S3_BUCKET: "b", S3_ACCESS_KEY_ID: "k" })).toMatch(
      /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together/,
    );
  });

  describe("storage", () => {
    const production = { ...valid, NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(16) };

    it("refuses a production deployment that does not say where objects live, naming what to set", () => {
      expect(problemsOf(production)).toMatch(
        /Storage is not configured: set S3_BUCKET .*, or STORAGE=local and STORAGE_DIR/,
      );
    });

    it("refuses STORAGE=local in production without a STORAGE_DIR chosen on purpose", () => {
      expect(problemsOf({ ...production, STORAGE: "local" })).toMatch(
        /STORAGE=local needs STORAGE_DIR in production/,
      );
      expect(problemsOf({ ...production, STORAGE: "local", STORAGE_DIR: " " })).toMatch(
        /STORAGE_DIR/,
      );
    });

    it("accepts production storage that is configured explicitly", () => {
      expect(problemsOf({ ...production, S3_BUCKET: "objects" })).toBe("");
      expect(problemsOf({ ...production, STORAGE: "s3", S3_BUCKET: "objects" })).toBe("");
      const local = parseEnv({ ...production, STORAGE: "local", STORAGE_DIR: "/srv/objects" });
      expect(local.STORAGE_DIR).toBe("/srv/objects");
    });

    it("refuses STORAGE=s3 without a bucket, and a bucket beside STORAGE=local, in any environment", () => {
      expect(problemsOf({ ...valid, STORAGE: "s3" })).toMatch(/STORAGE=s3 needs S3_BUCKET/);
      expect(problemsOf({ ...valid, STORAGE: "local", S3_BUCKET: "objects" })).toMatch(
        /STORAGE=local and S3_BUCKET contradict each other/,
      );
      expect(problemsOf({ ...valid, STORAGE: "disk" })).toMatch(/STORAGE must be local or s3/);
    });

    it("keeps the local folder as the default outside production", () => {
      expect(problemsOf({ ...valid, NODE_ENV: "test" })).toBe("");
      expect(problemsOf(valid)).toBe("");
    });
  });
});
