import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer } from "@/test/api-token";
import { apiRoutes, callRoute, routeIn, type ApiRoute } from "@/test/api-routes";
import { builders } from "@/test/builders";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { useRouteEnvironment } from "@/test/route-env";
import { listAudit } from "@/server/console/audit-log";
import { listRuns } from "@/server/console/run-views";
import { placeHold } from "@/server/retention/policy/holds";

let database: TestDatabase;
let t: TestEngine;
let routes: ApiRoute[];
let orgId: number;
let adminId: number;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  t = await createTestEngine({ database });
  routes = await apiRoutes();
  const b = builders(database.db, t.engine.store);
  adminId = (await b.user("ADMIN")).id;
  orgId = (await b.org("ENTERPRISE")).id;
  await b.org("FREE"); // so that purging one org is not the whole fleet (a guardrail)
});
afterAll(async () => {
  const { appEngine } = await import("@/server/app-engine");
  await (await appEngine()).queue.stop();
  await t.close();
  await database.drop();
});

const route = (key: string) => {
  return routeIn(routes, key);
};
const purgeNow = async (headers: Record<string, string>) => {
  const response = await callRoute(
    route("POST /api/orgs/[orgId]/retention/purge"),
    { orgId: String(orgId) },
    {
      headers: { ...headers, "content-type": "application/json" },
      body: "{}",
    },
  );
  return { status: response.status, body: (await response.json()) as { error?: string } };
};
const exportCsv = async (headers: Record<string, string>) =>
  (await callRoute(route("GET /api/deletions/export"), {}, { headers })).status;

describe("an API token's scope and expiry", () => {
  it("a READ token reads but cannot purge, even an admin's; nothing is planned or run", async () => {
    const read = await bearer(database.db, adminId, "READ");
    expect(await exportCsv(read)).toBe(200);
    const refused = await purgeNow(read);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe(
      "This API token's scope is READ; purging needs a PURGE token of an ADMIN (npm run token:create -- <email> <name> --scope purge).",
    );
    expect(await database.db.purgePlan.count()).toBe(0);
  });

  it("an admin's PURGE token purges, and the run and the audit log name the token; once expired it is refused like an unknown token", async () => {
    const purge = await bearer(database.db, adminId, "PURGE");
    expect((await purgeNow(purge)).status).toBe(202);
    const { runs } = await listRuns(database.db, { offset: 0, limit: 10 });
    expect(runs.map((r) => r.startedBy)).toEqual(["API token test purge (ADMIN tester)"]);
    const { entries } = await listAudit(database.db, { offset: 0, limit: 10, action: "purge." });
    const byCaller = entries.filter((e) => e.action !== "purge.finished");
    expect(byCaller.map((e) => [e.action, e.actorLabel])).toEqual([
      ["purge.confirmed", "API token test purge (ADMIN tester)"],
      ["purge.previewed", "API token test purge (ADMIN tester)"],
    ]);
    await database.db.apiToken.updateMany({
      where: { scope: "PURGE" },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await purgeNow(purge);
    expect(expired.status).toBe(401);
    expect(expired.body.error).toMatch(/^This API token is unknown, expired or revoked/);
    expect(await exportCsv(purge)).toBe(401);
    expect(await database.db.purgeRun.count()).toBe(1);
  });
});

describe("purge-now refused by a guardrail", () => {
  it("keeps no preview, so refusals never use up the caller's open previews; acknowledged, it purges", async () => {
    const b = builders(database.db, t.engine.store);
    const held = await b.org("BASIC");
    await Promise.all([b.artifact(held.id, 400), b.artifact(held.id, 400)]);
    const token = await bearer(database.db, adminId, "PURGE");
    const call = async (body: object) => {
      const response = await callRoute(
        route("POST /api/orgs/[orgId]/retention/purge"),
        { orgId: String(held.id) },
        {
          headers: { ...token, "content-type": "application/json" },
          body: JSON.stringify(body),
        },
      );
      return { status: response.status, body: (await response.json()) as { error?: string } };
    };
    // More refusals than the open previews one person may keep.
    for (let i = 0; i <= t.engine.settings.maxOpenPreviewsPerUser; i++) {
      const refused = await call({ categories: ["ARTIFACTS"] });
      expect(refused.status).toBe(428);
      expect(refused.body.error).toContain(`send it as "acknowledgement"`);
    }
    const open = await database.db.purgePlan.count({
      where: { createdById: adminId, status: { in: ["PREVIEWED", "PLANNING"] } },
    });
    expect(open).toBe(0);
    const accepted = await call({ categories: ["ARTIFACTS"], acknowledgement: held.name });
    expect(accepted.status).toBe(202);
  });
});

describe("purge-now of an org under a legal hold of its own", () => {
  it("is refused naming the hold, and previews and runs nothing", async () => {
    const b = builders(database.db, t.engine.store);
    const org = await b.org("FREE", "Held Inc");
    await b.artifact(org.id, 400);
    const hold = await placeHold(database.db, {
      actor: await database.db.user.findUniqueOrThrow({ where: { id: adminId } }),
      target: { scope: "ORG", orgId: org.id },
      reason: "case 12",
    });
    const [plans, runs] = [await database.db.purgePlan.count(), await database.db.purgeRun.count()];
    const response = await callRoute(
      route("POST /api/orgs/[orgId]/retention/purge"),
      { orgId: String(org.id) },
      {
        headers: {
          ...(await bearer(database.db, adminId, "PURGE")),
          "content-type": "application/json",
        },
        body: JSON.stringify({ categories: ["ARTIFACTS"] }),
      },
    );
    expect(response.status).toBe(412);
    expect(((await response.json()) as { error: string }).error).toBe(
      `Held Inc is under legal hold #${hold.id}: a hold stops every purge of the organization until it is released. Nothing was previewed or deleted.`,
    );
    expect([await database.db.purgePlan.count(), await database.db.purgeRun.count()]).toEqual([
      plans,
      runs,
    ]);
  });
});
