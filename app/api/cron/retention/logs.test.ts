import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TEST_BUCKET } from "@/test/constants";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { S3RVER_CREDENTIALS } from "@/test/s3-server";

const FIXTURE = path.resolve(import.meta.dirname, "../../../../test/fixtures/cron-delivery.ts");

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  const org = await database.db.organization.create({
    data: { name: "Logged Org", slug: "logged-org", plan: "FREE" },
  });
  await database.db.capturedError.create({
    data: {
      orgId: org.id,
      fingerprint: "f",
      message: "m",
      resolvedAt: new Date(Date.now() - 40 * 86_400_000),
    },
  });
});
afterAll(() => database.drop());

/** What one delivery writes to stdout, run as its own process with info-level logs. */
async function deliveryOutput() {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", FIXTURE], {
    env: {
      ...process.env,
      LOG_LEVEL: "info",
      DATABASE_URL: database.url,
      CRON_SECRET: randomBytes(24).toString("hex"),
      S3_BUCKET: TEST_BUCKET,
      S3_ENDPOINT: inject("s3Endpoint"),
      S3_FORCE_PATH_STYLE: "true",
      S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      CRON_MAX_DURATION_SECONDS: "10",
    },
  });
  return stdout;
}

describe("the cron route's logs", () => {
  it("are JSON lines, one as a delivery starts and one as it ends, and README's jq filter picks out the run's", async () => {
    const stdout = await deliveryOutput();
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const start = lines.find((line) => line.msg === "daily purge delivery started");
    const end = lines.find((line) => line.msg === "daily purge delivery ended");
    expect(start).toMatchObject({ level: 30, day: expect.any(String) });
    expect(end).toMatchObject({
      level: 30,
      delivery: start?.delivery,
      day: start?.day,
      joined: false,
      status: "SUCCEEDED",
      worked: { failures: 0 },
    });
    const runId = end?.runId;
    expect(runId).toBe((await database.db.purgeRun.findFirstOrThrow()).id);

    // README, "Reading the logs": jq 'select(.runId == "…")'
    const picked = execFileSync("jq", ["-c", `select(.runId == "${String(runId)}")`], {
      input: stdout,
    })
      .toString()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(picked.length).toBeGreaterThan(0);
    expect(picked.every((line) => line.runId === runId)).toBe(true);
    expect(picked.map((line) => line.msg)).toContain("daily purge delivery ended");
  });
});
