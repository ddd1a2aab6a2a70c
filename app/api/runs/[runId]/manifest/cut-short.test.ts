import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bearer } from "@/test/api-token";
import { apiRoute, callRoute, type ApiRoute } from "@/test/api-routes";
import { builders } from "@/test/builders";
import { readCsv } from "@/test/csv";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { useRouteEnvironment } from "@/test/route-env";

// The database goes away after the manifest's first page, as a dropped
// connection would in the middle of a long download.
vi.mock("@/server/retention/evidence/manifest", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/retention/evidence/manifest")>();
  return {
    ...original,
    async *manifestPages(...[db, runId]: Parameters<typeof original.manifestPages>) {
      for await (const page of original.manifestPages(db, runId, 1)) {
        yield page;
        throw new Error("Connection terminated unexpectedly");
      }
    },
  };
});

let database: TestDatabase;
let t: TestEngine;
let route: ApiRoute;
let viewer: Record<string, string>;
let runId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  t = await createTestEngine({ database, settings: { batchSize: 2 } });
  const b = builders(database.db, t.engine.store);
  const user = await b.user("VIEWER");
  viewer = await bearer(database.db, user.id);
  const org = await b.org("FREE");
  for (let i = 0; i < 6; i++) await b.artifact(org.id, 40 + i);
  const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] });
  expect(await database.db.manifestBatch.count({ where: { runId: run.id } })).toBeGreaterThan(1);
  runId = run.id;
  route = await apiRoute("GET /api/runs/[runId]/manifest");
});
afterAll(async () => {
  await t.close();
  await database.drop();
});

/** What a client receives: the bytes that came, and whether the download ended in an error. */
async function download(format: "csv" | "json") {
  const response = await callRoute(
    route,
    { runId },
    { headers: viewer, query: `?format=${format}` },
  );
  expect(response.status).toBe(200);
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    try {
      const { done, value } = await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
      if (done) return { text, aborted: null };
      text += decoder.decode(value, { stream: true });
    } catch (error) {
      return { text, aborted: error instanceof Error ? error.message : String(error) };
    }
  }
}

describe("a manifest whose database fails midway", () => {
  it("as CSV: the download is aborted, and what arrived has no last line to pass for complete", async () => {
    const { text, aborted } = await download("csv");
    expect(aborted).toBe("Connection terminated unexpectedly");
    expect(readCsv(text).trailer).toBeNull();
    expect(text).not.toMatch(/^# end /m);
  });

  it("as JSON: the download is aborted, and what arrived does not parse", async () => {
    const { text, aborted } = await download("json");
    expect(aborted).toBe("Connection terminated unexpectedly");
    expect(text).toMatch(/^\{"runId":/);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });
});
