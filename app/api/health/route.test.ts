import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer } from "@/test/api-token";
import { apiRoute, callRoute, type ApiRoute } from "@/test/api-routes";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { useRouteEnvironment } from "@/test/route-env";

let database: TestDatabase;
let health: ApiRoute;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  health = await apiRoute("GET /api/health");
});
afterAll(() => database.drop());

describe("GET /api/health", () => {
  it("tells anyone whether the purge is healthy and since when; only a caller Lethe knows gets its runs and counts", async () => {
    const anyone = await callRoute(health, {});
    expect(anyone.status).toBe(200);
    expect(await anyone.json()).toEqual({
      database: "ok",
      stale: false,
      lastSuccessAt: null,
      planning: false,
    });
    const user = await database.db.user.create({
      data: { email: "watch@example.com", name: "Watch", role: "VIEWER" },
    });
    const known = await callRoute(health, {}, { headers: await bearer(database.db, user.id) });
    expect(await known.json()).toEqual({
      database: "ok",
      lastSuccess: null,
      lastRun: null,
      planning: null,
      stale: false,
    });
    // A token Lethe does not know gets what anyone gets, not an error.
    const unknown = await callRoute(health, {}, { headers: { authorization: "Bearer lethe_x" } });
    expect(Object.keys((await unknown.json()) as object).sort()).toEqual([
      "database",
      "lastSuccessAt",
      "planning",
      "stale",
    ]);
  });
});
