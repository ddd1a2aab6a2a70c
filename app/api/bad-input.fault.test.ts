import fc from "fast-check";
import type { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filtersQuery } from "@/components/deletions/filter-rules";
import { orgId } from "@/server/trpc/schemas";
import { bearer } from "@/test/api-token";
import { apiRoutes, callRoute, type ApiRoute } from "@/test/api-routes";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { hostileValue, OUT_OF_RANGE } from "@/test/hostile";
import { fieldVariants, type FieldKind } from "@/test/input-fields";
import { useRouteEnvironment } from "@/test/route-env";
import { rowCounts } from "@/test/row-counts";

/** Header values a client can send at all (the fetch API refuses the rest). */
const headerText = fc.string({ maxLength: 80 }).filter((s) => /^[\x20-\x7e]*$/.test(s));
/**
 * Anything but the id of a record that exists (those are 1, 2, 3…) as a
 * path writes it: another spelling of one ("01", "1.0", "0x1") names none.
 */
const notAnId = fc.oneof(
  fc.string({ maxLength: 30 }).filter((s) => !/^[1-9]\d{0,2}$/.test(s)),
  fc.constantFrom("0", "-1", "1.5", "1e3", "0x10", "9999999999", "2147483648", "%00", "../1", ""),
  fc.constantFrom(" 1", "01", "1.0", "+1", "1e0", "0x1", "1 ", "\t1"),
  fc.integer({ min: 100_000 }).map(String),
  fc.uuid(),
);
/**
 * Out-of-range values as a URL carries them (an empty parameter counts as
 * absent), for each number and day field of `schema`: each request must be
 * refused with 400 naming the field.
 */
function outOfRange(schema: z.ZodType) {
  const asText = (kind: FieldKind) =>
    [...OUT_OF_RANGE[kind].map(String), ...(kind === "number" ? ["1e400"] : [])].filter(Boolean);
  const variants = fieldVariants(schema, undefined, asText);
  return fc.constantFrom(...variants.map((v) => ({ value: v.input, refuse: v.path })));
}

/** A path segment Next.js can route to a catch-all: at least one character. */
const segment = notAnId.filter((s) => s.length > 0);
const jsonText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc
    .record({ categories: hostileValue, acknowledgement: hostileValue }, { requiredKeys: [] })
    .map((v) => JSON.stringify(v)),
  fc.constantFrom("", "{", "null", "[]", '{"categories":[]}', '{"categories":["NOPE"]}', '{"x":1}'),
);

/** For each route: its bad requests, and the words its refusals must use. */
type Case = {
  params: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: string;
  query?: string;
  /** The field an out-of-range value was put in: the answer must be 400 naming it. */
  refuse?: string;
};
let plans: Record<string, { runs: number; cases: fc.Arbitrary<Case>; names: RegExp | null }>;

let database: TestDatabase;
let routes: ApiRoute[];
beforeAll(async () => {
  database = await createTestDatabase();
  const { cronSecret } = await useRouteEnvironment(database);
  const user = await database.db.user.create({
    data: { email: "fuzz@test.dev", name: "Fuzz", role: "ADMIN" },
  });
  const admin = await bearer(database.db, user.id, "PURGE");
  await database.db.organization.createMany({
    data: [
      { name: "Free", slug: "free", plan: "FREE" },
      { name: "Pro", slug: "pro", plan: "PRO" },
    ],
  });
  const query = fc.oneof(
    fc.constant(""),
    headerText.map((q) => `?${encodeURIComponent(q)}=${encodeURIComponent(q)}`),
  );
  plans = {
    "POST /api/orgs/[orgId]/retention/purge": {
      runs: 200,
      cases: fc.oneof(
        fc.record({
          params: fc.record({ orgId: notAnId }),
          headers: fc.oneof(
            { weight: 4, arbitrary: fc.constant({ ...admin, "content-type": "application/json" }) },
            headerText.map((type) => ({ ...admin, "content-type": type })),
          ),
          body: jsonText,
        }),
        outOfRange(orgId).map(({ value }) => ({
          params: { orgId: String(value) },
          headers: { ...admin, "content-type": "application/json" },
          body: "{}",
          refuse: "orgId",
        })),
      ),
      names: /orgId|body|categories|acknowledgement|JSON|organization|out of range|Content-Type/,
    },
    "POST /api/runs/[runId]/restore": {
      runs: 100,
      cases: fc.record({
        params: fc.record({ runId: notAnId }),
        headers: fc.oneof(
          { weight: 4, arbitrary: fc.constant({ ...admin, "content-type": "application/json" }) },
          headerText.map((type) => ({ ...admin, "content-type": type })),
        ),
        body: fc.oneof(
          jsonText,
          fc
            .record(
              { orgId: hostileValue, category: hostileValue, itemId: hostileValue },
              { requiredKeys: [] },
            )
            .map((v) => JSON.stringify(v)),
        ),
      }),
      names: /runId|body|orgId|category|itemId|JSON|run|out of range|Content-Type/,
    },
    "GET /api/exports/[id]/download": {
      runs: 100,
      cases: fc.record({
        params: fc.record({ id: fc.oneof(segment, fc.constantFrom("1", "2147483647")) }),
        headers: fc.constant({}),
        query: fc.oneof(
          fc.constant(""),
          fc
            .tuple(headerText, headerText)
            .map(
              ([e, sig]) =>
                `?expires=${encodeURIComponent(e)}&signature=${encodeURIComponent(sig)}`,
            ),
        ),
      }),
      names: /link is not valid/,
    },
    "GET /api/runs/[runId]/manifest": {
      runs: 150,
      cases: fc.record({
        params: fc.record({ runId: notAnId }),
        headers: fc.constant(admin),
        query: fc.oneof(
          fc.constant(""),
          headerText.map((f) => `?format=${encodeURIComponent(f)}`),
        ),
      }),
      names: /runId|format|run/,
    },
    "GET /api/evidence/packs/[packId]": {
      runs: 80,
      cases: fc.record({
        params: fc.record({ packId: notAnId }),
        headers: fc.constant(admin),
      }),
      names: /packId|evidence pack/,
    },
    "GET /api/evidence/public-key": {
      runs: 20,
      cases: fc.record({ params: fc.constant({}), headers: fc.constant(admin), query }),
      names: null,
    },
    "GET /api/cron/retention": {
      runs: 80,
      cases: fc.record({
        params: fc.constant({}),
        headers: headerText
          .filter((h) => !h.includes(cronSecret))
          .map((h) => ({ authorization: h })),
      }),
      names: /Authorization: Bearer/,
    },
    "GET /api/deletions/export": {
      runs: 80,
      cases: fc.oneof(
        fc.record({
          params: fc.constant({}),
          headers: fc.constant(admin),
          query: fc
            .dictionary(fc.constantFrom(...filtersQuery.keyof().options), headerText)
            .map((q) => `?${new URLSearchParams(q).toString()}`),
        }),
        outOfRange(filtersQuery).map(({ value, refuse }) => ({
          params: {},
          headers: admin,
          query: `?${new URLSearchParams(value as Record<string, string>).toString()}`,
          refuse,
        })),
      ),
      names: /^\{"error":"Invalid input: (horizon|plan|category|q|from|to|page|sort|dir): /,
    },
    "GET /api/health": {
      runs: 20,
      cases: fc.record({ params: fc.constant({}), headers: fc.constant({}), query }),
      names: null,
    },
    "GET /api/metrics": {
      runs: 20,
      cases: fc.record({ params: fc.constant({}), headers: fc.constant({}), query }),
      names: null,
    },
    "GET /api/trpc/[trpc]": {
      runs: 40,
      cases: fc.record({
        params: fc.record({ trpc: fc.oneof(segment, fc.constant("orgs.list")) }),
        headers: fc.constant({}),
        query,
      }),
      names: /procedure|Sign in|input|path/i,
    },
    "POST /api/trpc/[trpc]": {
      runs: 40,
      cases: fc.record({
        params: fc.record({ trpc: fc.oneof(segment, fc.constant("holds.place")) }),
        // The console's origin (NEXTAUTH_URL of the route environment), now and then another.
        headers: fc.record({
          "content-type": fc.oneof(
            { weight: 4, arbitrary: fc.constant("application/json") },
            headerText,
          ),
          origin: fc.oneof({ weight: 4, arbitrary: fc.constant("http://localhost") }, headerText),
        }),
        body: jsonText,
      }),
      names: /procedure|Sign in|input|path|JSON|Cross-site/i,
    },
    "GET /api/auth/[...nextauth]": {
      runs: 30,
      cases: fc.record({
        params: fc.record({ nextauth: fc.array(segment, { minLength: 1, maxLength: 2 }) }),
        headers: fc.constant({}),
        query,
      }),
      names: null,
    },
    "POST /api/auth/[...nextauth]": {
      runs: 30,
      cases: fc.record({
        params: fc.record({ nextauth: fc.array(segment, { minLength: 1, maxLength: 2 }) }),
        headers: fc.constant({}),
        body: jsonText,
      }),
      names: null,
    },
  };
  routes = await apiRoutes();
  // The app's engine creates the queue's tables on first use: before counting rows.
  const { appEngine } = await import("@/server/app-engine");
  await appEngine();
});
afterAll(async () => {
  const { appEngine } = await import("@/server/app-engine");
  await (await appEngine()).queue.stop();
  await database.drop();
});

describe("bad input to every route handler (property-based)", () => {
  it("never a 5xx, never a change in the database, always a message that names the problem", async () => {
    expect(routes.map((r) => r.key).sort(), "a route without bad-input cases").toEqual(
      Object.keys(plans).sort(),
    );
    let cases = 0;
    const statuses: Record<number, number> = {};
    for (const route of routes) {
      const plan = plans[route.key];
      if (!plan) continue;
      await fc.assert(
        fc.asyncProperty(plan.cases, async ({ params, headers, body, query, refuse }) => {
          cases++;
          const where = `${route.key} ${JSON.stringify({ params, headers, body, query }).slice(0, 300)}`;
          const before = await rowCounts(database.db);
          const response = await callRoute(route, params, { headers, body, query });
          const text = await response.text();
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          expect(response.status, `${where}: ${text.slice(0, 300)}`).toBeLessThan(500);
          expect(await rowCounts(database.db), where).toEqual(before);
          if (response.status >= 400 && plan.names) expect(text, where).toMatch(plan.names);
          if (refuse) {
            expect(response.status, `${where}: ${text.slice(0, 300)}`).toBe(400);
            expect(text, where).toMatch(new RegExp(`"(Invalid input: )?${refuse}: `));
          }
        }),
        { numRuns: plan.runs },
      );
    }
    console.log(
      `bad input (routes): ${cases} property-based requests to ${routes.length} route handlers; ` +
        `answers by status: ${JSON.stringify(statuses)}; 0 answered 5xx; no request changed a row`,
    );
  });
});
