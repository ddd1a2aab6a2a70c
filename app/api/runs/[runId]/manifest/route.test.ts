import { createHash } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer } from "@/test/api-token";
import { LocalStore } from "@/server/storage/local-store";
import { apiRoute, callRoute, type ApiRoute } from "@/test/api-routes";
import { ago, builders } from "@/test/builders";
import { cellValue, readCsv } from "@/test/csv";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { useRouteEnvironment } from "@/test/route-env";

// The manifest an auditor downloads after a real purge of orphan objects,
// whose keys are whatever the SaaS wrote: commas, quotes, line breaks.

let database: TestDatabase;
let t: TestEngine;
let route: ApiRoute;
let viewer: Record<string, string>;
let runId: string;
let keys: string[];
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  // Only a local store can backdate an object, and orphans age by last modified.
  const store = new LocalStore(await mkdtemp(path.join(os.tmpdir(), "lethe-manifest-")));
  t = await createTestEngine({ database, store });
  const b = builders(database.db, store);
  const user = await b.user("VIEWER");
  viewer = await bearer(database.db, user.id);
  const org = await b.org("PRO");
  keys = [
    `orgs/${org.id}/tmp/a,b"c\nd.bin`,
    `orgs/${org.id}/tmp/x,y,z\r\n"quoted".bin`,
    `orgs/${org.id}/tmp/#hash, then =SUM(A1).bin`,
    `orgs/${org.id}/tmp/plain.bin`,
  ];
  for (const key of keys) await store.put(key, new Uint8Array(10), ago(40));
  const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ORPHAN_OBJECTS"] });
  expect(run.status).toBe("SUCCEEDED");
  runId = run.id;
  route = await apiRoute("GET /api/runs/[runId]/manifest");
});
afterAll(async () => {
  await t.close();
  await database.drop();
});

async function manifest(format: "csv" | "json") {
  const response = await callRoute(
    route,
    { runId },
    { headers: viewer, query: `?format=${format}` },
  );
  expect(response.status).toBe(200);
  return response.text();
}

describe("the run manifest as CSV", () => {
  it("gives back every deleted key exactly, through an independent CSV parser", async () => {
    const { records } = readCsv(await manifest("csv"));
    expect(records.map((r) => cellValue(r.item_id ?? "")).sort()).toEqual([...keys].sort());
    expect(new Set(records.map((r) => r.run_id))).toEqual(new Set([runId]));
    expect(records.every((r) => r.category === "ORPHAN_OBJECTS")).toBe(true);
  });

  it("ends with a line whose row count and SHA-256 match the file, and agrees with the JSON manifest", async () => {
    const { records, trailer, sha256 } = readCsv(await manifest("csv"));
    expect(trailer).toEqual({ rows: keys.length, sha256 });
    const json = JSON.parse(await manifest("json")) as { batches: { itemIds: string[] }[] };
    expect(json.batches.flatMap((b) => b.itemIds).sort()).toEqual(
      records.map((r) => cellValue(r.item_id ?? "")).sort(),
    );
  });

  it("a file cut short, or edited, no longer matches its last line", async () => {
    const text = await manifest("csv");
    const cut = text.slice(0, text.indexOf("\n", text.indexOf("\n") + 1) + 1);
    expect(readCsv(cut).trailer).toBeNull();
    const edited = text.replace("plain.bin", "plain.bim");
    const { trailer, sha256 } = readCsv(edited);
    expect(trailer?.sha256).not.toBe(sha256);
  });
});

describe("the run manifest as JSON", () => {
  it("says how each batch's SHA-256 is computed, and following it from the file alone gives each one", async () => {
    const json = JSON.parse(await manifest("json")) as {
      digest: string;
      batches: { category: string; orgId: number; itemIds: string[]; sha256: string }[];
    };
    expect(json.digest).toContain('"10" comes before "9"');
    expect(json.batches.length).toBeGreaterThan(0);
    for (const b of json.batches) {
      const byBytes = [...b.itemIds].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect(b.itemIds).toEqual(byBytes);
      const line = `${b.category}:${b.orgId}:${b.itemIds.join(",")}`;
      expect(createHash("sha256").update(line, "utf8").digest("hex")).toBe(b.sha256);
    }
  });
});
