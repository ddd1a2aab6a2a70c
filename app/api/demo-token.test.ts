import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer } from "@/test/api-token";
import { apiRoute, callRoute, type ApiRoute } from "@/test/api-routes";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { useRouteEnvironment } from "@/test/route-env";

// A production server whose database got a demo account enabled again
// (`npm run user:enable -- admin@lethe.dev`) while it ran: the account's
// password sign-in is refused; so is a token it made before.

let database: TestDatabase;
let exportCsv: ApiRoute;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  Object.assign(process.env, { NODE_ENV: "production", STORAGE: "local" });
  exportCsv = await apiRoute("GET /api/deletions/export");
});
afterAll(async () => {
  const { appEngine } = await import("@/server/app-engine");
  await (await appEngine()).queue.stop();
  await database.drop();
});

describe("a demo account's API token on a production server", () => {
  it("is refused, saying why and how to fix it; an account of one's own is served", async () => {
    const demo = await database.db.user.create({
      data: { email: "admin@lethe.dev", name: "Demo Admin", role: "ADMIN" },
    });
    const own = await database.db.user.create({
      data: { email: "ops@example.com", name: "Ops", role: "ADMIN" },
    });
    const refused = await callRoute(exportCsv, {}, { headers: await bearer(database.db, demo.id) });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain(
      "This API token belongs to a demo account, whose password is published: a production server refuses it.",
    );
    const served = await callRoute(exportCsv, {}, { headers: await bearer(database.db, own.id) });
    expect(served.status).toBe(200);
  });
});
