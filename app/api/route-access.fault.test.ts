import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeApiToken } from "@/server/auth/api-tokens";
import { requestPack } from "@/server/retention/evidence/pack/packs";
import { requestExport, workExports } from "@/server/retention/exports/exports";
import { bearer } from "@/test/api-token";
import { apiRoutes, callRoute, routeIn, type ApiRoute } from "@/test/api-routes";
import { builders } from "@/test/builders";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { purge } from "@/test/purge";
import { useRouteEnvironment } from "@/test/route-env";
import { createTestEngine, type TestEngine } from "@/test/engine";

// Every call runs in a request scope without a session cookie (the
// session-less path, through next-auth for real); API tokens are real too.
// Nothing is mocked.

type Access =
  | "public"
  | "cron"
  | "signed-in"
  | "admin"
  | "admin-restore"
  | "admin-read"
  | "signed-link"
  | "trpc"
  | "next-auth";

/** NEXTAUTH_URL's origin in the route environment (test/route-env.ts), and another site. */
const CONSOLE = "http://localhost";
const EVIL = "https://evil.example";

/**
 * Who may call each route handler, as PRODUCT.md says. A route file or
 * method without a line here fails the test: a new route cannot be forgotten.
 */
const EXPECTED: Record<string, Access> = {
  "GET /api/health": "public",
  "GET /api/metrics": "public",
  "GET /api/cron/retention": "cron",
  "POST /api/orgs/[orgId]/retention/purge": "admin",
  // Restoring what a run purged changes governed data as purging does: the same callers.
  "POST /api/runs/[runId]/restore": "admin-restore",
  "GET /api/runs/[runId]/manifest": "signed-in",
  "GET /api/deletions/export": "signed-in",
  "GET /api/evidence/public-key": "signed-in",
  // An evidence pack: an ADMIN's, by session or any live token of theirs (downloading changes nothing).
  "GET /api/evidence/packs/[packId]": "admin-read",
  // An export: by the link the server signed alone; no session or token stands in for it.
  "GET /api/exports/[id]/download": "signed-link",
  // Procedures carry their own roles (server/trpc/authorization.fault.test.ts); the route needs a session.
  "GET /api/trpc/[trpc]": "trpc",
  "POST /api/trpc/[trpc]": "trpc",
  // next-auth's own endpoints: public, and no token or secret turns into a session there.
  "GET /api/auth/[...nextauth]": "next-auth",
  "POST /api/auth/[...nextauth]": "next-auth",
};

type Caller = {
  name: string;
  /** The role behind a live credential; null for none, or a token refused like a wrong one. */
  role: "VIEWER" | "OPERATOR" | "ADMIN" | null;
  scope: "READ" | "PURGE" | null;
  headers: Record<string, string>;
};

let database: TestDatabase;
let t: TestEngine;
let routes: ApiRoute[];
let callers: Caller[];
let cronSecret: string;
let params: Record<string, Record<string, string | string[]>>;
beforeAll(async () => {
  database = await createTestDatabase();
  ({ cronSecret } = await useRouteEnvironment(database));
  t = await createTestEngine({ database });
  const b = builders(database.db, t.engine.store);
  const tokenOf = async (role: "VIEWER" | "OPERATOR" | "ADMIN", scope: "READ" | "PURGE") =>
    bearer(database.db, (await b.user(role)).id, scope);
  const adminPurgeToken = async (change: (userId: number, tokenId: number) => Promise<unknown>) => {
    const headers = await tokenOf("ADMIN", "PURGE");
    const token = await database.db.apiToken.findFirstOrThrow({ orderBy: { id: "desc" } });
    await change(token.userId, token.id);
    return headers;
  };
  callers = [
    { name: "anonymous", role: null, scope: null, headers: {} },
    {
      name: "viewer (READ token)",
      role: "VIEWER",
      scope: "READ",
      headers: await tokenOf("VIEWER", "READ"),
    },
    {
      name: "operator (READ token)",
      role: "OPERATOR",
      scope: "READ",
      headers: await tokenOf("OPERATOR", "READ"),
    },
    {
      name: "admin (READ token)",
      role: "ADMIN",
      scope: "READ",
      headers: await tokenOf("ADMIN", "READ"),
    },
    {
      name: "admin (PURGE token)",
      role: "ADMIN",
      scope: "PURGE",
      headers: await tokenOf("ADMIN", "PURGE"),
    },
    {
      name: "admin demoted to operator (PURGE token)",
      role: "OPERATOR",
      scope: "PURGE",
      headers: await adminPurgeToken((userId) =>
        database.db.user.update({ where: { id: userId }, data: { role: "OPERATOR" } }),
      ),
    },
    {
      name: "admin (expired PURGE token)",
      role: null,
      scope: null,
      headers: await adminPurgeToken((_, id) =>
        database.db.apiToken.update({
          where: { id },
          data: { expiresAt: new Date(Date.now() - 1000) },
        }),
      ),
    },
    {
      name: "admin (revoked PURGE token)",
      role: null,
      scope: null,
      headers: await adminPurgeToken((_, id) =>
        revokeApiToken(database.db, { actor: "system", via: "cli", tokenId: id, anyOwner: true }),
      ),
    },
    {
      name: "wrong cron secret",
      role: null,
      scope: null,
      headers: { authorization: `Bearer ${cronSecret}x` },
    },
  ];
  const org = await b.org("ENTERPRISE");
  await b.org("FREE"); // so purging one org is not the whole fleet (a guardrail)
  await b.error(org.id, 40);
  const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ERRORS"] });
  params = {
    "/api/orgs/[orgId]/retention/purge": { orgId: String(org.id) },
    "/api/runs/[runId]/manifest": { runId: run.id },
    "/api/runs/[runId]/restore": { runId: await restorableRun(b) },
    "/api/trpc/[trpc]": { trpc: "overview.storage" },
    "/api/evidence/packs/[packId]": { packId: String(await evidencePackOf(org.id)) },
    "/api/exports/[id]/download": { id: String(await exportOf(org.id)) },
  };
  routes = await apiRoutes();
});
afterAll(async () => {
  const { appEngine } = await import("@/server/app-engine");
  await (await appEngine()).queue.stop();
  await t.close();
  await database.drop();
});

/**
 * A run whose artifacts wait in their restore window (PRODUCT.md's
 * windows, which this file's engine turns off): the one caller allowed
 * to restore them gets 200.
 */
async function restorableRun(b: ReturnType<typeof builders>) {
  // On the routes' clock: the test engines' fixed day is past a 7-day window by now.
  const windows = await createTestEngine({
    database,
    restoreWindows: "product",
    now: () => new Date(),
  });
  try {
    const org = await b.org("FREE");
    await b.artifact(org.id, 400);
    const { run } = await purge(windows.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] });
    return run.id;
  } finally {
    await windows.close();
  }
}

/** A built evidence pack of `orgId`'s day, in the bucket the route handlers read. */
async function evidencePackOf(orgId: number) {
  const { appEngine } = await import("@/server/app-engine");
  const admin = await database.db.user.findFirstOrThrow({ where: { role: "ADMIN" } });
  const day = new Date().toISOString().slice(0, 10);
  const { pack } = await requestPack(await appEngine(), {
    actor: admin,
    period: { fromDay: day, toDay: day, orgId },
  });
  return pack.id;
}

/** A built export of `orgId`'s errors, in the store the route handlers read. */
async function exportOf(orgId: number) {
  const { appEngine } = await import("@/server/app-engine");
  const engine = await appEngine();
  const admin = await database.db.user.findFirstOrThrow({ where: { role: "ADMIN" } });
  const { id } = await requestExport(engine, {
    orgId,
    categories: ["ERRORS"],
    requestedBy: admin,
  });
  await workExports(engine);
  return id;
}

/** The status each kind of route owes a caller. */
function expectedStatus(access: Access, caller: Caller): number {
  if (access === "public") return 200;
  if (access === "signed-link") return 403;
  if (access === "cron" || access === "trpc" || !caller.role) return 401;
  // Purging needs an ADMIN, and by token a PURGE token.
  if (access === "admin") return caller.role === "ADMIN" && caller.scope === "PURGE" ? 202 : 403;
  if (access === "admin-restore")
    return caller.role === "ADMIN" && caller.scope === "PURGE" ? 200 : 403;
  if (access === "admin-read") return caller.role === "ADMIN" ? 200 : 403;
  return 200;
}

describe("authorization matrix: every route handler × anonymous / API tokens of each role and scope, expired, revoked / wrong cron secret", () => {
  it("every route handler found under app/api has an expected access, and every expectation a handler", () => {
    const found = routes.map((r) => r.key).sort();
    expect(
      found.filter((k) => !(k in EXPECTED)),
      "routes with no expected access: add them",
    ).toEqual([]);
    expect(
      Object.keys(EXPECTED).filter((k) => !found.includes(k)),
      "stale expectations",
    ).toEqual([]);
  });

  it("each caller is allowed or refused exactly as PRODUCT.md's roles say", async () => {
    let calls = 0;
    for (const route of routes.filter((r) => EXPECTED[r.key] !== "next-auth")) {
      const access = EXPECTED[route.key] ?? "admin";
      for (const caller of callers) {
        calls++;
        const trpcPost = route.key === "POST /api/trpc/[trpc]";
        const response = await callRoute(
          route,
          { ...params[route.pattern], ...(trpcPost ? { trpc: "audit.verify" } : {}) },
          // From the console's own origin, as its pages send: the role decides.
          {
            headers: { ...caller.headers, "content-type": "application/json", origin: CONSOLE },
            body: "{}",
          },
        );
        const text = await response.text();
        expect(response.status, `${route.key} as ${caller.name}: ${text.slice(0, 200)}`).toBe(
          expectedStatus(access, caller),
        );
        // A refusal says what to do about it.
        if (response.status >= 400)
          expect(text, `${route.key} as ${caller.name}`).toMatch(/[Ss]ign in|Bearer|ADMIN/);
      }
    }
    // The cron route does run for the right secret.
    const cron = routeIn(routes, "GET /api/cron/retention");
    const ok = await callRoute(cron, {}, { headers: { authorization: `Bearer ${cronSecret}` } });
    expect(ok.status).toBe(200);
    console.log(
      `authorization matrix (routes): ${routes.length} handlers in ${new Set(routes.map((r) => r.pattern)).size} ` +
        `route files; ${calls} calls (${calls / callers.length} handlers × ${callers.length} callers: anonymous, ` +
        `READ and PURGE API tokens of each role, a demoted admin's, an expired and a revoked one, a wrong ` +
        `cron secret) plus 1 with the cron secret; next-auth's ` +
        `2 handlers × ${callers.length} callers in the next test`,
    );
  });

  it("every POST handler refuses a request from another site, or one that is not JSON, whoever sends it", async () => {
    const posts = routes.filter((r) => r.method === "POST" && EXPECTED[r.key] !== "next-auth");
    expect(posts.map((r) => r.key).sort()).toEqual([
      "POST /api/orgs/[orgId]/retention/purge",
      "POST /api/runs/[runId]/restore",
      "POST /api/trpc/[trpc]",
    ]);
    let calls = 0;
    for (const route of posts) {
      const tokens = EXPECTED[route.key] !== "trpc";
      const send = async (headers: Record<string, string>) => {
        calls++;
        const response = await callRoute(
          route,
          { ...params[route.pattern], trpc: "audit.verify" },
          { headers, body: "{}" },
        );
        return { status: response.status, text: await response.text() };
      };
      const json = { "content-type": "application/json" };
      for (const caller of callers) {
        const by = `${route.key} as ${caller.name}`;
        // An API token carries no cookie: the route that takes tokens needs no Origin from it.
        const needsOrigin = !(tokens && caller.headers.authorization);
        for (const origin of [EVIL, null]) {
          const headers = { ...caller.headers, ...json, ...(origin ? { origin } : {}) };
          const answer = await send(headers);
          if (needsOrigin) {
            expect(answer.status, by).toBe(403);
            expect(answer.text, by).toMatch(/Cross-site request refused/);
          } else expect(answer.text, by).not.toMatch(/Cross-site/);
        }
        const form = await send({
          ...caller.headers,
          "content-type": "application/x-www-form-urlencoded",
          origin: CONSOLE,
        });
        expect(form.status, by).toBe(415);
        expect(form.text, by).toMatch(/Content-Type: application\/json/);
      }
    }
    console.log(
      `cross-site check: ${calls} POSTs to ${posts.length} handlers (from another origin, with no ` +
        `origin, as a form) × ${callers.length} callers: all refused with 403 or 415, but an API ` +
        `token's JSON request to the route that takes tokens, which its role decides`,
    );
  });

  it("next-auth's endpoints are public and turn no API token or cron secret into a session", async () => {
    const auth = (method: string) =>
      routes.find((r) => r.key === `${method} /api/auth/[...nextauth]`);
    const [get, post] = [auth("GET"), auth("POST")];
    if (!get || !post) throw new Error("no next-auth route");
    for (const caller of callers) {
      const providers = await callRoute(
        get,
        { nextauth: ["providers"] },
        { headers: caller.headers },
      );
      expect(providers.status, caller.name).toBe(200);
      expect(Object.keys((await providers.json()) as object)).toContain("credentials");
      const session = await callRoute(get, { nextauth: ["session"] }, { headers: caller.headers });
      expect([session.status, await session.json()], `${caller.name} has no session`).toEqual([
        200,
        {},
      ]);
      // Signing in without the CSRF token and a password sets no session cookie.
      const signIn = await callRoute(
        post,
        { nextauth: ["callback", "credentials"] },
        {
          headers: { ...caller.headers, "content-type": "application/x-www-form-urlencoded" },
          body: "email=admin%40lethe.dev&password=guess",
        },
      );
      expect(signIn.status, caller.name).toBeLessThan(500);
      expect(signIn.headers.getSetCookie().join(";"), caller.name).not.toMatch(/session-token/);
    }
  });
});
