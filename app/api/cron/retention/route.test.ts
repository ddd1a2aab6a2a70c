import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { anExpiredError, cronEnv } from "@/test/cron";

const SECRET = randomBytes(24).toString("hex");
let database: TestDatabase;
let GET: (request: Request) => Promise<Response>;

beforeAll(async () => {
  database = await createTestDatabase();
  // The route reads the process environment, as it does on Vercel.
  Object.assign(process.env, cronEnv(database.url, SECRET));
  ({ GET } = await import("./route"));
  await anExpiredError(database.db, "Cron Org");
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
