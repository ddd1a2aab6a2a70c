import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anExpiredError, cronEnv } from "@/test/cron";
import { createTestDatabase, type TestDatabase } from "@/test/database";

const FIXTURE = path.resolve(import.meta.dirname, "../../../../test/fixtures/cron-delivery.ts");

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await anExpiredError(database.db, "Logged Org");
});
afterAll(() => database.drop());

/** What one delivery writes to stdout, run as its own process with info-level logs. */
async function deliveryOutput() {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", FIXTURE], {
    env: {
      ...process.env,
      ...cronEnv(database.url, randomBytes(24).toString("hex")),
      LOG_LEVEL: "info",
    },
  });
  return stdout;
}

describe("the cron route's logs", () => {
  it("are JSON lines, one as a delivery starts and one as it ends, and README's jq filter picks out the run's, the engine's included", async () => {
    const stdout = await deliveryOutput();
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const start = lines.find((line) => line.msg === "daily purge delivery started");
    const end = lines.find((line) => line.msg === "daily purge delivery ended");
    expect(start).toMatchObject({ level: "info", day: expect.any(String) });
    expect(end).toMatchObject({
      level: "info",
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
    // The route's lines and the engine's: the task that purged the error says so under the run.
    expect(picked.map((line) => line.msg)).toEqual(
      expect.arrayContaining(["daily purge delivery ended", "task ended"]),
    );
  });
});
