import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoute, callRoute, type ApiRoute } from "@/test/api-routes";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { useRouteEnvironment } from "@/test/route-env";

// With METRICS_TOKEN unset the route stays open: app/api/evidence.test.ts
// reads it without a token.

const METRICS_TOKEN = randomBytes(16).toString("hex");

let database: TestDatabase;
let metrics: ApiRoute;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  process.env.METRICS_TOKEN = METRICS_TOKEN;
  metrics = await apiRoute("GET /api/metrics");
});
afterAll(() => database.drop());

const read = (headers: Record<string, string>) => callRoute(metrics, {}, { headers });

describe("/api/metrics with METRICS_TOKEN set", () => {
  it("answers 401, saying what to send, without the token or with another one", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: `Bearer ${METRICS_TOKEN}x` },
      { authorization: `Bearer ${METRICS_TOKEN.slice(0, -1)}` },
      { authorization: METRICS_TOKEN },
      { authorization: "Bearer " },
    ]) {
      const response = await read(headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      const body = await response.text();
      expect(body).toMatch(/Authorization: Bearer <METRICS_TOKEN>/);
      expect(body).not.toMatch(/retention_/);
    }
  });

  it("serves the metrics for Authorization: Bearer $METRICS_TOKEN", async () => {
    const response = await read({ authorization: `Bearer ${METRICS_TOKEN}` });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^# HELP retention_/m);
  });
});
