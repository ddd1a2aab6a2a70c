import { createPublicKey } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appEngine } from "@/server/app-engine";
import type { Engine } from "@/server/retention/deps";
import { requestPack } from "@/server/retention/evidence/pack/packs";
import { verifyPack } from "@/server/retention/evidence/pack/verify";
import { bearer } from "@/test/api-token";
import { apiRoutes, callRoute, routeIn, type ApiRoute } from "@/test/api-routes";
import { builders } from "@/test/builders";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { savePack } from "@/test/evidence-pack";
import { useRouteEnvironment } from "@/test/route-env";

let database: TestDatabase;
let engine: Engine;
let packRoute: ApiRoute;
let keyRoute: ApiRoute;
let admin: { id: number };
let asAdmin: Record<string, string>;
let asViewer: Record<string, string>;
let packId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  engine = await appEngine();
  const routes = await apiRoutes();
  const route = (key: string) => {
    return routeIn(routes, key);
  };
  packRoute = route("GET /api/evidence/packs/[packId]");
  keyRoute = route("GET /api/evidence/public-key");
  const b = builders(database.db, engine.store);
  admin = await b.user("ADMIN");
  asAdmin = await bearer(database.db, admin.id);
  asViewer = await bearer(database.db, (await b.user("VIEWER")).id);
  const day = new Date().toISOString().slice(0, 10);
  ({
    pack: { id: packId },
  } = await requestPack(engine, {
    actor: admin,
    period: { fromDay: day, toDay: day, orgId: null },
  }));
});
afterAll(async () => {
  await engine.queue.stop();
  await database.drop();
});

const downloads = () =>
  database.db.auditEntry.findMany({ where: { action: "evidence.downloaded" } });

describe("downloading an evidence pack", () => {
  it("is refused to a VIEWER, and leaves no trace of a download", async () => {
    const response = await callRoute(packRoute, { packId: String(packId) }, { headers: asViewer });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: "Evidence packs need the ADMIN role; this caller is VIEWER.",
    });
    expect(await downloads()).toEqual([]);
  });

  it("gives an ADMIN the signed pack, which verifies with the console's public key; the download is audited", async () => {
    const response = await callRoute(packRoute, { packId: String(packId) }, { headers: asAdmin });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const file = await savePack(Readable.fromWeb(response.body as never));
    const pem = await (await callRoute(keyRoute, {}, { headers: asViewer })).text();
    expect(await verifyPack(file, createPublicKey(pem))).toMatchObject({ ok: true });
    expect(await downloads()).toMatchObject([
      { actorId: admin.id, action: "evidence.downloaded", target: `evidence:${packId}` },
    ]);
  });

  it("answers 400 for a malformed id and 404 for a pack that does not exist", async () => {
    const bad = await callRoute(packRoute, { packId: "x1" }, { headers: asAdmin });
    expect(bad.status).toBe(400);
    const missing = await callRoute(packRoute, { packId: "999999" }, { headers: asAdmin });
    expect(missing.status).toBe(404);
  });
});
