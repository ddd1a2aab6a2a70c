import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestErasure } from "@/server/retention/erasure/requests";
import { placeHold, releaseHold } from "@/server/retention/policy/holds";
import { setOverride } from "@/server/retention/policy/overrides";
import { bearer } from "@/test/api-token";
import { apiRoutes, callRoute, routeIn, type ApiRoute } from "@/test/api-routes";
import { builders } from "@/test/builders";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { readCsv } from "@/test/csv";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { useRouteEnvironment } from "@/test/route-env";

// What an auditor or a monitoring system reads: the manifest download and
// /api/metrics, through their route handlers, after real purges.

/** Personal data an operator might type or the SaaS might store: none of it may reach the evidence. */
const PERSONAL = ["jane.doe@example.com", "Jane Doe", "wedding video"];

let database: TestDatabase;
let t: TestEngine;
let routes: ApiRoute[];
let viewer: Record<string, string>;
let deletedIds: number[];
let runId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  t = await createTestEngine({ database });
  routes = await apiRoutes();
  const b = builders(database.db, t.engine.store);
  const admin = await b.user("ADMIN");
  viewer = await bearer(database.db, (await b.user("VIEWER")).id);
  const org = await b.org("FREE");
  const old = [];
  for (let i = 0; i < 3; i++) old.push(await b.artifact(org.id, 40 + i, { bytes: 100 }));
  await b.artifact(org.id, 1, { bytes: 100 });
  await database.db.artifact.update({
    where: { id: old[0]?.id },
    data: { title: "Jane Doe's wedding video" },
  });
  // What an admin types beside the purge: reasons that name a person.
  const hold = await placeHold(database.db, {
    actor: admin,
    target: { scope: "ORG", orgId: (await b.org("PRO")).id },
    reason: "Jane Doe (jane.doe@example.com) disputes a charge",
  });
  await releaseHold(database.db, { actor: admin, holdId: hold.id, reason: "the matter is closed" });
  await setOverride(database.db, t.engine.settings, {
    actor: admin,
    orgId: org.id,
    category: "ARTIFACTS",
    days: 30,
    reason: "asked by jane.doe@example.com",
  });
  await requestErasure(database.db, {
    actor: admin,
    orgId: org.id,
    scope: { kind: "ORGANIZATION" },
    reason: "DSR from Jane Doe",
  });
  const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] }, admin);
  runId = run.id;
  deletedIds = old.map((a) => a.id);
});
afterAll(async () => {
  await t.close();
  await database.drop();
});

async function get(key: string, params: Record<string, string> = {}, query = "") {
  const route = routeIn(routes, key);
  const response = await callRoute(route, params, { headers: viewer, query });
  expect(response.status).toBe(200);
  return response.text();
}

const digest = (category: string, orgId: number, ids: string[]) =>
  createHash("sha256")
    .update(`${category}:${orgId}:${ids.join(",")}`)
    .digest("hex");

describe("evidence an auditor downloads", () => {
  it("the manifest lists exactly what the run deleted, and each batch's SHA-256 is the formula it states", async () => {
    const manifest = JSON.parse(
      await get("GET /api/runs/[runId]/manifest", { runId }, "?format=json"),
    ) as {
      runId: string;
      status: string;
      batches: { orgId: number; category: string; itemIds: string[]; sha256: string }[];
    };
    expect(manifest).toMatchObject({ runId, status: "SUCCEEDED" });
    const listed = manifest.batches.flatMap((batch) => batch.itemIds.map(Number));
    expect(listed.sort((a, c) => a - c)).toEqual([...deletedIds].sort((a, c) => a - c));
    for (const batch of manifest.batches) {
      const sorted = [...batch.itemIds].sort();
      expect(batch.sha256).toBe(digest(batch.category, batch.orgId, sorted));
    }

    const csv = await get("GET /api/runs/[runId]/manifest", { runId }, "?format=csv");
    expect(csv.split("\n")[0]).toBe("run_id,batch_no,org_id,category,item_id,batch_sha256");
    const { records, trailer, sha256 } = readCsv(csv);
    expect(records.map((r) => Number(r.item_id))).toEqual(
      manifest.batches.flatMap((batch) => batch.itemIds.map(Number)),
    );
    expect(trailer).toEqual({ rows: deletedIds.length, sha256 });
  });

  it("/api/metrics counts what was purged, per plan and category, and how long the run took", async () => {
    const body = await get("GET /api/metrics");
    expect(body).toContain('retention_deletes_total{plan="FREE",category="ARTIFACTS"} 3');
    expect(body).toContain('retention_bytes_freed_total{plan="FREE",category="ARTIFACTS"} 300');
    expect(body).toMatch(/^retention_cleanup_seconds\{trigger="OPERATOR"\} \d+(\.\d+)?$/m);
    // No daily purge has succeeded on this deployment yet.
    expect(body).toMatch(/^retention_last_success_timestamp_seconds 0$/m);
  });

  it("no personal data reaches the audit log, the metrics or the manifest: ids and counts only", async () => {
    const audit = await database.db.$queryRaw<{ entry: string }[]>`
      SELECT concat_ws(' ', action, target, details::text) AS entry FROM audit_log`;
    expect(audit.map((a) => a.entry.split(" ")[0])).toEqual(
      expect.arrayContaining([
        "hold.placed",
        "hold.released",
        "policy.override.set",
        "erasure.requested",
        "purge.confirmed",
      ]),
    );
    const evidence = [
      ...audit.map((a) => a.entry),
      await get("GET /api/metrics"),
      await get("GET /api/runs/[runId]/manifest", { runId }, "?format=json"),
      await get("GET /api/runs/[runId]/manifest", { runId }, "?format=csv"),
    ].join("\n");
    for (const text of PERSONAL) expect(evidence).not.toContain(text);
    // They are kept where they belong, on the hold and the request themselves.
    expect((await database.db.legalHold.findFirstOrThrow()).reason).toContain(PERSONAL[0]);
  });
});
