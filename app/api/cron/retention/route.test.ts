import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { TEST_BUCKET } from "@/test/constants";
import { S3RVER_CREDENTIALS } from "@/test/s3-server";

const SECRET = randomBytes(24).toString("hex");
let database: TestDatabase;
let GET: (request: Request) => Promise<Response>;

beforeAll(async () => {
  database = await createTestDatabase();
  // The route reads the process environment, as it does on Vercel.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    CRON_SECRET: SECRET,
    S3_BUCKET: TEST_BUCKET,
    S3_ENDPOINT: inject("s3Endpoint"),
    S3_FORCE_PATH_STYLE: "true",
    S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    CRON_MAX_DURATION_SECONDS: "10",
  });
  ({ GET } = await import("./route"));
  const org = await database.db.organization.create({
    data: { name: "Cron Org", slug: "cron-org", plan: "FREE" },
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
afterAll(async () => {
  const { appEngine } = await import("@/server/app-engine");
  await (await appEngine()).queue.stop();
  await database.drop();
});

const call = (authorization?: string) =>
  GET(
    new Request("http://localhost/api/cron/retention", {
      headers: authorization ? { authorization } : {},
    }),
  );

describe("GET /api/cron/retention", () => {
  it("answers 401 without the secret or with a wrong one, and starts nothing", async () => {
    for (const response of [
      await call(),
      await call(`Bearer ${SECRET.slice(0, -1)}x`),
      await call(SECRET),
    ]) {
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: string }).error).toMatch(
        /Authorization: Bearer <CRON_SECRET>/,
      );
    }
    expect(await database.db.purgeRun.count()).toBe(0);
  });

  it("answers 200 with progress JSON with the secret; a second delivery joins the same run", async () => {
    const response = await call(`Bearer ${SECRET}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      day: string;
      joined: boolean;
      progress: { runKey: string; status: string; deleted: string; fraction: number };
    };
    expect(body.joined).toBe(false);
    expect(body.progress.runKey).toBe(`daily:${body.day}`);
    expect(body.progress.status).toBe("SUCCEEDED");
    expect(body.progress.deleted).toBe("1");
    expect(body.progress.fraction).toBe(1);
    const again = (await (await call(`Bearer ${SECRET}`)).json()) as { joined: boolean };
    expect(again.joined).toBe(true);
    expect(await database.db.purgeRun.count()).toBe(1);
    expect(await database.db.capturedError.count()).toBe(0);
  });
});
