// Before next/server: it must find Next's AsyncLocalStorage when it loads.
import "@/test/next-async-storage";
import { createTRPCClient } from "@trpc/client";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { consoleLinks } from "@/components/trpc/links";
import { bearer } from "@/test/api-token";
import type { AppRouter } from "@/server/trpc/root";
import { apiRoutes, callRoute, routeIn, type ApiRoute } from "@/test/api-routes";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { withRequest } from "@/test/request-scope";
import { useRouteEnvironment } from "@/test/route-env";
import { rowCounts } from "@/test/row-counts";
import { sessionCookie } from "@/test/session";

// A signed-in admin's browser visits another site, which posts to Lethe:
// the browser attaches the admin's session cookie. Every call below carries
// a real session cookie through next-auth (or a real API token).

const CONSOLE = "http://localhost"; // NEXTAUTH_URL of the route environment
const EVIL = "https://evil.example";

let database: TestDatabase;
let trpc: ApiRoute;
let trpcGet: ApiRoute;
let purgeNow: ApiRoute;
let cookie: string;
let tokenHeaders: Record<string, string>;
let orgId: number;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  const admin = await database.db.user.create({
    data: { email: "admin@cross.test", name: "Admin", role: "ADMIN" },
  });
  cookie = await sessionCookie(admin.id);
  tokenHeaders = await bearer(database.db, admin.id, "PURGE");
  orgId = (await database.db.organization.create({ data: { name: "A", slug: "a", plan: "PRO" } }))
    .id;
  await database.db.organization.create({ data: { name: "B", slug: "b", plan: "FREE" } });
  const routes = await apiRoutes();
  const find = (key: string) => {
    return routeIn(routes, key);
  };
  trpc = find("POST /api/trpc/[trpc]");
  trpcGet = find("GET /api/trpc/[trpc]");
  purgeNow = find("POST /api/orgs/[orgId]/retention/purge");
  // The app's engine creates the queue's tables on first use: before counting rows.
  const { appEngine } = await import("@/server/app-engine");
  await appEngine();
});
afterAll(async () => {
  const { appEngine } = await import("@/server/app-engine");
  await (await appEngine()).queue.stop();
  await database.drop();
});

const placeHold = (headers: Record<string, string>, body?: string) =>
  callRoute(
    trpc,
    { trpc: "holds.place" },
    {
      headers: { cookie, ...headers },
      body: body ?? JSON.stringify({ json: { scope: "ORG", orgId, reason: "audit" } }),
      withCookies: true,
    },
  );

/** Calls `send` and expects its refusal: the status, a message, and not one row changed. */
async function expectRefused(send: () => Promise<Response>, status: number, message: RegExp) {
  const before = await rowCounts(database.db);
  const response = await send();
  expect(response.status).toBe(status);
  expect(((await response.json()) as { error: string }).error).toMatch(message);
  expect(await rowCounts(database.db)).toEqual(before);
}

describe("cookie-authenticated POSTs come only from the console's own pages, as JSON", () => {
  it("a tRPC mutation with the admin's session cookie is refused from another origin or none", async () => {
    const json = { "content-type": "application/json" };
    await expectRefused(() => placeHold({ ...json, origin: EVIL }), 403, /evil\.example is not/);
    await expectRefused(() => placeHold(json), 403, /no Origin header/);
    // The Origin check does not trust a look-alike: only the exact origin.
    await expectRefused(
      () => placeHold({ ...json, origin: `${CONSOLE}.evil.example` }),
      403,
      /not/,
    );
  });

  it("a form or a text body is refused even from the console's origin: an HTML form can send those cross-site", async () => {
    for (const type of [
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "text/plain",
    ])
      await expectRefused(
        () => placeHold({ "content-type": type, origin: CONSOLE }),
        415,
        /Content-Type: application\/json/,
      );
  });

  it("the console's own request (same origin, JSON, session cookie) still works", async () => {
    const response = await placeHold({ "content-type": "application/json", origin: CONSOLE });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await database.db.legalHold.count({ where: { orgId, releasedAt: null } })).toBe(1);
  });

  it("purge-now: a session needs the console's Origin; an API token needs none; both need JSON", async () => {
    // Org B: the tests above put A under a legal hold, which refuses any purge of it.
    const other = await database.db.organization.findUniqueOrThrow({ where: { slug: "b" } });
    const call = (headers: Record<string, string>, withCookies = true) =>
      callRoute(purgeNow, { orgId: String(other.id) }, { headers, body: "{}", withCookies });
    const json = { "content-type": "application/json" };
    await expectRefused(() => call({ ...json, cookie, origin: EVIL }), 403, /not this console/);
    await expectRefused(() => call({ ...json, cookie }), 403, /no Origin header/);
    await expectRefused(
      () => call({ "content-type": "text/plain", cookie, origin: CONSOLE }),
      415,
      /application\/json/,
    );
    await expectRefused(() => call(tokenHeaders, false), 415, /application\/json/);
    const bySession = await call({ ...json, cookie, origin: CONSOLE });
    expect(bySession.status, await bySession.clone().text()).toBe(202);
    const byToken = await call({ ...json, ...tokenHeaders }, false);
    expect(byToken.status, await byToken.clone().text()).toBe(202);
  });
});

describe("the console's own tRPC client", () => {
  it("passes: its mutations are JSON, and the browser sends the page's Origin with them", async () => {
    // What the browser does with the client's requests: resolve the URL
    // against the page, attach the session cookie, and add Origin to any
    // request that is not a GET or HEAD (the Fetch standard).
    vi.stubGlobal("fetch", async (input: string | URL, init: RequestInit = {}) => {
      const method = init.method ?? "GET";
      const headers = new Headers(init.headers);
      headers.set("cookie", cookie);
      if (method !== "GET" && method !== "HEAD") headers.set("origin", CONSOLE);
      const request = new NextRequest(new URL(input, CONSOLE), {
        method,
        headers,
        body: init.body,
      });
      const route = method === "GET" ? trpcGet : trpc;
      return withRequest(request, () => route.handler(request, { params: Promise.resolve({}) }));
    });
    try {
      const client = createTRPCClient<AppRouter>({ links: consoleLinks() });
      const other = await database.db.organization.findUniqueOrThrow({ where: { slug: "b" } });
      const hold = await client.holds.place.mutate({
        scope: "ORG",
        orgId: other.id,
        reason: "from the console",
      });
      expect(hold).toBeTruthy();
      expect(await database.db.legalHold.count({ where: { orgId: other.id } })).toBe(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
