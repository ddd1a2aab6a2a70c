import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoute, callRoute, type ApiRoute } from "@/test/api-routes";
import { builders } from "@/test/builders";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { savePack } from "@/test/evidence-pack";
import { manifestOf } from "@/test/export-archive";
import { unzipBytes } from "@/test/zip-entries";
import { useRouteEnvironment } from "@/test/route-env";

// A tenant following the link of a notice: no session, no token, the link alone.

let database: TestDatabase;
let route: ApiRoute;
let exportId: number;
let link: URL;

const follow = (url: URL, id = String(exportId)) => callRoute(route, { id }, { query: url.search });

beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  const { appEngine } = await import("@/server/app-engine");
  const { requestExport } = await import("@/server/retention/exports/exports");
  const { exportLink } = await import("@/server/retention/exports/link");
  const engine = await appEngine();
  const b = builders(database.db, engine.store);
  const admin = await b.user("ADMIN");
  const org = await b.org("FREE");
  await b.error(org.id, 29);
  ({ id: exportId } = await requestExport(engine, {
    orgId: org.id,
    categories: ["ERRORS"],
    requestedBy: admin,
  }));
  link = new URL((await exportLink(engine, exportId)).url);
  route = await apiRoute("GET /api/exports/[id]/download");
});
afterAll(async () => {
  const { appEngine } = await import("@/server/app-engine");
  await (await appEngine()).queue.stop();
  await database.drop();
});

describe("GET /api/exports/{id}/download", () => {
  it("says 409, being prepared, while the export is built", async () => {
    const response = await follow(link);
    expect(response.status).toBe(409);
    expect(response.headers.get("retry-after")).toBe("60");
    expect(((await response.json()) as { error: string }).error).toMatch(/is being prepared/);
  });

  it("streams the archive to whoever holds the signed link once it is READY", async () => {
    const { appEngine } = await import("@/server/app-engine");
    const { workExports } = await import("@/server/retention/exports/exports");
    await workExports(await appEngine());
    const response = await follow(link);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="lethe-export-${exportId}.zip"`,
    );
    const file = await savePack(response.body as never, "route.zip");
    expect(manifestOf(await unzipBytes(file))).toMatchObject({
      categories: ["ERRORS"],
      counts: { ERRORS: { rows: 1 } },
    });
  });

  it("refuses a tampered link, or a good signature on another id, with 403 and no file", async () => {
    const tampered = new URL(link);
    tampered.searchParams.set("expires", String(Number(link.searchParams.get("expires")) - 60));
    for (const [url, id] of [
      [tampered, String(exportId)],
      [link, String(exportId + 1)],
      [new URL(link.pathname, link), String(exportId)],
      [link, "../1"],
    ] as const) {
      const response = await follow(url, id);
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/This download link is not valid/);
    }
  });
});
