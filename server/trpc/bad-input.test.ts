import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/auth/roles";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { OUT_OF_RANGE } from "@/test/hostile";
import { fieldVariants } from "@/test/input-fields";
import { rowCounts } from "@/test/row-counts";
import { allProcedures, callHttp, procedureAt } from "@/test/trpc-http";
import { MISSING, sampleInputs } from "@/test/trpc-samples";

let t: TestEngine;
let admin: SessionUser;
let orgId: number;
beforeAll(async () => {
  t = await createTestEngine();
  const b = builders(t.engine.db, t.engine.store);
  const user = await b.user("ADMIN");
  admin = { id: user.id, email: user.email, name: user.name, role: "ADMIN" };
  const org = await b.org("FREE", "Bad Input Org");
  orgId = org.id;
  await b.artifact(org.id, 40);
});
afterAll(() => t.close());

const snapshot = () => rowCounts(t.engine.db);
const samples = sampleInputs(MISSING);

/** The same fields, every value of another type. */
const wrongTypes = (input: object) =>
  Object.fromEntries(
    Object.keys(input).map((key) => [
      key,
      typeof (input as Record<string, unknown>)[key] === "string" ? 42 : "seven",
    ]),
  );

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("bad input to every procedure", () => {
  it("wrong types: every procedure that takes input answers 400 naming the problem, and nothing changes", async () => {
    const before = await snapshot();
    const withInput = allProcedures().filter((p) => p.hasInput);
    expect(withInput.length).toBeGreaterThan(20);
    for (const procedure of withInput) {
      const sample = samples[procedure.path];
      for (const input of [
        "not an object",
        12345,
        [1, 2],
        // Its own fields, each of the wrong type: an input of only defaults is otherwise valid.
        sample && typeof sample === "object" ? wrongTypes(sample) : { orgId: "seven", page: -1 },
      ]) {
        const { status, message } = await callHttp(t.engine, admin, procedure, input);
        expect(status, `${procedure.path} ${JSON.stringify(input)}`).toBe(400);
        expect(message, procedure.path).toMatch(/^Invalid input: \S+: /);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("every number, day and date field of every procedure refuses out-of-range values: 400 naming the field", async () => {
    const before = await snapshot();
    const fields = new Set<string>();
    for (const procedure of allProcedures()) {
      if (!procedure.input) continue;
      const variants = fieldVariants(
        procedure.input,
        samples[procedure.path],
        (kind) => OUT_OF_RANGE[kind],
      );
      for (const { input, path, value } of variants) {
        fields.add(`${procedure.path} ${path}`);
        const where = `${procedure.path} ${path} = ${String(value)}`;
        const { status, message } = await callHttp(t.engine, admin, procedure, input);
        expect(status, `${where}: ${message}`).toBe(400);
        expect(message, where).toMatch(new RegExp(`(^Invalid input: |; )${escape(path)}: `));
      }
    }
    // Ids, pages, windows and days across the router, nested ones included.
    expect(fields).toContain("deletions.list from");
    expect(fields).toContain("purge.preview only.ids.0");
    expect(fields).toContain("holds.place artifactId");
    expect(fields.size).toBeGreaterThan(40);
    expect(await snapshot()).toEqual(before);
  });

  const cases: [string, unknown, number, RegExp][] = [
    [
      "policies.setOverride",
      { orgId: 999_999, category: "ARTIFACTS", days: 40, reason: "contract" },
      404,
      /No organization 999999/,
    ],
    [
      "policies.setOverride",
      { orgId: 0, category: "ARTIFACTS", days: -5, reason: "contract" },
      400,
      /orgId: .*; days: must be at least 1 day/,
    ],
    [
      "policies.setOverride",
      { orgId: -1, category: "ARTIFACTS", days: 40, reason: "contract" },
      400,
      /orgId/,
    ],
    [
      "policies.clearOverride",
      { orgId: 1, category: "NOT_A_CATEGORY" },
      400,
      /category: must be a retention category/,
    ],
    ["purge.preview", { orgIds: [999_999], categories: null }, 404, /Unknown organization: 999999/],
    [
      "purge.preview",
      { orgIds: [], categories: null },
      400,
      /orgIds: choose at least one organization/,
    ],
    ["purge.confirm", { planId: "not-a-uuid" }, 400, /planId: must be a preview id/],
    [
      "purge.confirm",
      { planId: "00000000-0000-4000-8000-000000000000" },
      404,
      /No preview .* Run a dry run first/,
    ],
    ["purge.run", { runId: "00000000-0000-4000-8000-000000000000" }, 404, /No purge run/],
    ["purge.discard", { planId: "not-a-uuid" }, 400, /planId: must be a preview id/],
    [
      "purge.discard",
      { planId: "00000000-0000-4000-8000-000000000000" },
      404,
      /No preview 00000000/,
    ],
    [
      "holds.place",
      { scope: "ORG", orgId: 999_999, reason: "legal" },
      404,
      /No organization 999999/,
    ],
    ["holds.place", { scope: "ORG", orgId: 1, reason: "" }, 400, /reason: needs a reason/],
    ["holds.release", { holdId: 999_999, reason: "settled" }, 404, /No legal hold 999999/],
    ["holds.release", { holdId: 1, reason: " " }, 400, /reason: needs a reason/],
    [
      "pins.place",
      { scope: "ARTIFACT", artifactId: 999_999, until: "2026-12-01", reason: "dispute" },
      404,
      /No artifact 999999: it may already be purged. Nothing was pinned./,
    ],
    [
      "pins.place",
      { scope: "ARTIFACT", artifactId: 1, until: "2026-12-32", reason: "dispute" },
      400,
      /until: must be a calendar day/,
    ],
    [
      "pins.place",
      { scope: "INCIDENT", incidentId: 1, until: "2026-12-01", reason: "" },
      400,
      /reason: needs a reason/,
    ],
    ["pins.remove", { pinId: 999_999 }, 404, /No pin #999999 on any incident or artifact/],
    [
      "erasure.request",
      { scope: "ORGANIZATION", orgId: 999_999, reason: "subject request" },
      404,
      /No organization 999999/,
    ],
    // A request that forgets to say whose artifacts is refused, never widened to the whole org.
    [
      "erasure.request",
      { orgId: 1, memberId: 5, reason: "subject request" },
      400,
      /scope: must be "ORGANIZATION" or "MEMBER"/,
    ],
    [
      "erasure.request",
      { scope: "MEMBER", orgId: 1, reason: "subject request" },
      400,
      /memberId: must be a member id/,
    ],
    [
      "erasure.approve",
      { requestId: 999_999, planId: "00000000-0000-4000-8000-000000000000" },
      404,
      /No erasure request/,
    ],
    ["deletions.forecast", { horizonDays: 45 }, 400, /horizonDays: must be 7, 30 or 90 days/],
    [
      "deletions.explain",
      { category: "ARTIFACTS", itemId: 999_999 },
      404,
      /No artifacts item 999999/,
    ],
    ["policies.whatIf", { category: "ARTIFACTS", days: 40 }, 400, /give either orgId or plan/],
    // Found by the fault suite: values validation let through that Postgres refuses.
    [
      "holds.place",
      { scope: "ORG", orgId: 2 ** 31, reason: "legal" },
      400,
      /^Invalid input: orgId: must be an organization id$/,
    ],
    [
      "deletions.forecast",
      { horizonDays: 30, from: "2026-13-45" },
      400,
      /from: must be a calendar day/,
    ],
    ["deletions.list", { horizonDays: 30, to: "2026-02-30" }, 400, /to: must be a calendar day/],
    [
      "deletions.list",
      { horizonDays: 30, from: "0000-01-01" },
      400,
      /from: must be a day from 1970/,
    ],
    [
      "deletions.forecast",
      { horizonDays: 30, from: "2026-12-02", to: "2026-12-01" },
      400,
      /^Invalid input: to: must be on or after from$/,
    ],
    [
      "audit.list",
      { from: new Date(-8.64e15), to: new Date("2026-01-01") },
      400,
      /from: must be on or after 1970-01-01/,
    ],
    [
      "audit.list",
      { from: new Date("2026-02-01"), to: new Date("2026-01-01") },
      400,
      /to: must be on or after from/,
    ],
    ["purge.preview", { orgIds: null, categories: null, asOf: new Date(-8.64e15) }, 400, /asOf: /],
    [
      "purge.preview",
      { orgIds: null, categories: null, only: { category: "ARTIFACTS", ids: [2 ** 31] } },
      400,
      /only\.ids\.0: must be an item id/,
    ],
    ["orgs.list", { page: 2 ** 31 }, 400, /page: must be at most 1000000/],
    ["orgs.list", { search: "a\u0000b" }, 400, /NUL character/],
    ["orgs.list", { search: "a\ud800b" }, 400, /lone UTF-16 surrogate/],
    [
      "holds.place",
      { scope: "ORG", orgId: 1, reason: "dispute \udc00" },
      400,
      /lone UTF-16 surrogate/,
    ],
    ["orgs.list", { search: "a \ud83d\ude00 b" }, 200, /.*/],
    ["orgs.history", { orgId: 999_999 }, 404, /No organization 999999: pick one from the list/],
    ["orgs.history", { orgId: 1, kinds: ["deletions"] }, 400, /kinds\.0: must be a kind/],
  ];

  it.each(cases)("%s %j → %i", async (path, input, status, message) => {
    const before = await snapshot();
    const answer = await callHttp(t.engine, admin, procedureAt(path), input);
    expect(answer.status).toBe(status);
    expect(answer.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it("an override outside the plan's bounds is refused with the bounds to pick from", async () => {
    const before = await snapshot();
    const input = { orgId, category: "ARTIFACTS", days: 500, reason: "customer asked" };
    const answer = await callHttp(t.engine, admin, procedureAt("policies.setOverride"), input);
    expect([answer.status, answer.message]).toEqual([
      400,
      "500 days is outside the FREE plan's bounds for this category: choose 15–120 days.",
    ]);
    expect(await snapshot()).toEqual(before);
  });
});
