import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { manifestOf, ndjsonOf, sha256, storedExport } from "@/test/export-archive";
import { AppError } from "../../errors";
import { orphanObjects } from "../categories/orphan-objects";
import { requestExport, workExports, type ExportRequest } from "./exports";

const FAR_FUTURE = new Date("2100-01-01T00:00:00Z");

/**
 * An org with artifacts (each with an object of random bytes) aged so that
 * the FREE plan's 30 days make them due now, in 5 days and in 10 days; an
 * error row due in 2 days; one artifact whose key climbs out of any folder;
 * and another org whose due items must never appear in the first's export.
 */
async function world(t: TestEngine) {
  const b = builders(t.engine.db, t.engine.store);
  const admin = await b.user("ADMIN");
  const org = await b.org("FREE");
  const other = await b.org("FREE");
  const content = new Map<number, Buffer>();
  const artifact = async (orgId: number, daysOld: number) => {
    const a = await b.artifact(orgId, daysOld, { bytes: 3000 });
    const bytes = randomBytes(3000);
    await t.engine.store.put(a.objectKey, bytes);
    content.set(a.id, bytes);
    return a;
  };
  const dueNow = await artifact(org.id, 35);
  const dueIn5 = await artifact(org.id, 25);
  const dueIn10 = await artifact(org.id, 20);
  await artifact(other.id, 40);
  const error = await b.error(org.id, 28);
  await b.error(org.id, 1);
  return { admin, org, other, content, dueNow, dueIn5, dueIn10, error };
}

async function built(t: TestEngine, id: number) {
  expect(await workExports(t.engine)).toBeGreaterThan(0);
  return storedExport(t.engine, id);
}

describe.each([
  ["the S3 store (test S3 server)", {}],
  ["the local folder", { backdatingStore: "exports" }],
] as const)("an export on %s", (_, options) => {
  let t: TestEngine;
  let w: Awaited<ReturnType<typeof world>>;

  beforeAll(async () => {
    t = await createTestEngine(options);
    w = await world(t);
  });
  afterAll(() => t.close());

  it("holds exactly the items due within N days, rows and objects equal to the source, digests that verify", async () => {
    const { id } = await requestExport(t.engine, {
      orgId: w.org.id,
      categories: ["ARTIFACTS", "ERRORS"],
      withinDays: 7,
      requestedBy: w.admin,
    });
    const { row, file, files } = await built(t, id);
    const artifacts = ndjsonOf(files, "ARTIFACTS.ndjson");
    expect(artifacts.map((a) => a.id)).toEqual([w.dueNow.id, w.dueIn5.id]);
    const live = await t.engine.db.artifact.findUniqueOrThrow({ where: { id: w.dueNow.id } });
    expect(artifacts[0]).toMatchObject({
      id: live.id,
      org_id: w.org.id,
      object_key: live.objectKey,
      bytes: "3000",
      created_at: live.createdAt.toISOString(),
    });
    expect(ndjsonOf(files, "ERRORS.ndjson").map((e) => e.id)).toEqual([w.error.id]);
    for (const a of [w.dueNow, w.dueIn5])
      expect(files.get(`objects/ARTIFACTS/${a.objectKey}`)).toEqual(w.content.get(a.id));
    expect([...files.keys()].filter((p) => p.startsWith("objects/"))).toHaveLength(2);

    const manifest = manifestOf(files);
    expect(manifest).toMatchObject({
      format: "lethe-export/1",
      org: { id: w.org.id },
      categories: ["ARTIFACTS", "ERRORS"],
      withinDays: 7,
      counts: {
        ARTIFACTS: { rows: 2, objects: 2, objectBytes: "6000", missingObjects: 0 },
        ERRORS: { rows: 1, objects: 0 },
      },
    });
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      [...files.keys()].filter((p) => p !== "manifest.json").sort(),
    );
    for (const f of manifest.files) {
      const bytes = files.get(f.path);
      expect(bytes && { bytes: bytes.length, sha256: sha256(bytes) }).toEqual({
        bytes: f.bytes,
        sha256: f.sha256,
      });
    }
    const { readFile } = await import("node:fs/promises");
    const archive = await readFile(file);
    expect(row).toMatchObject({ sha256: sha256(archive), bytes: BigInt(archive.length) });
    expect(row).toMatchObject({
      itemsDone: 5n,
      itemsTotal: 5n,
      bytesDone: 6000n,
      bytesTotal: 6000n,
    });
  });

  it("reaches further with a larger N, and only ever the org's own items", async () => {
    const { id } = await requestExport(t.engine, {
      orgId: w.org.id,
      categories: ["ARTIFACTS"],
      withinDays: 14,
      requestedBy: w.admin,
    });
    const { files } = await built(t, id);
    expect(ndjsonOf(files, "ARTIFACTS.ndjson").map((a) => a.id)).toEqual([
      w.dueNow.id,
      w.dueIn5.id,
      w.dueIn10.id,
    ]);
  });

  it("arrives whole when the archive spans several upload parts (over 5 MB each)", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("FREE");
    const a = await b.artifact(org.id, 35, { bytes: 12 * 2 ** 20 });
    const bytes = randomBytes(12 * 2 ** 20);
    await t.engine.store.put(a.objectKey, bytes);
    const { id } = await requestExport(t.engine, {
      orgId: org.id,
      categories: ["ARTIFACTS"],
      requestedBy: w.admin,
    });
    const { files } = await built(t, id);
    expect(sha256(files.get(`objects/ARTIFACTS/${a.objectKey}`) ?? Buffer.alloc(0))).toBe(
      sha256(bytes),
    );
  });

  it("is never an orphan object of the org, nor anywhere the org's prefix is swept", async () => {
    const row = await t.engine.db.export.findFirstOrThrow({ where: { status: "READY" } });
    expect(row.objectKey).toMatch(/^exports\//);
    expect(await t.engine.store.head(row.objectKey ?? "")).not.toBeNull();
    const page = await t.engine.db.$transaction((tx) =>
      orphanObjects.eligiblePage(tx, t.engine.store, w.org.id, FAR_FUTURE, null),
    );
    expect(page.candidates.map((c) => c.key)).not.toContain(row.objectKey);
  });
});

describe("a request that cannot be an export", () => {
  let t: TestEngine;
  let admin: { id: number };
  let orgId: number;
  beforeAll(async () => {
    t = await createTestEngine();
    const b = builders(t.engine.db, t.engine.store);
    admin = await b.user("ADMIN");
    orgId = (await b.org("FREE")).id;
  });
  afterAll(() => t.close());

  it.each<[string, Partial<ExportRequest>, string, RegExp]>([
    [
      "an unknown category",
      { categories: ["NOPE" as "ERRORS"] },
      "BAD_INPUT",
      /NOPE cannot be exported/,
    ],
    [
      "orphan objects (no row)",
      { categories: ["ORPHAN_OBJECTS"] },
      "BAD_INPUT",
      /ORPHAN_OBJECTS cannot be exported/,
    ],
    ["no category", { categories: [] }, "BAD_INPUT", /at least one category/],
    ["N = 0", { withinDays: 0 }, "BAD_INPUT", /from 1 to 90, not 0/],
    ["N = 91", { withinDays: 91 }, "BAD_INPUT", /from 1 to 90, not 91/],
    ["N = 2.5", { withinDays: 2.5 }, "BAD_INPUT", /whole number/],
    ["an unknown org", { orgId: 2_000_000_000 }, "NOT_FOUND", /No organization 2000000000/],
  ])("refuses %s, and writes and queues nothing", async (_, change, code, message) => {
    const error = await requestExport(t.engine, {
      orgId,
      categories: ["ERRORS"],
      requestedBy: admin,
      ...change,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await t.engine.db.export.count()).toBe(0);
    expect(await t.engine.db.auditEntry.count({ where: { action: "export.requested" } })).toBe(0);
    expect(await t.engine.queue.nextExport()).toBeNull();
  });
});

describe("an export of incident payloads", () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine();
  });
  afterAll(() => t.close());

  it("holds each due incident with the payload that purging takes", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const admin = await b.user("ADMIN");
    const org = await b.org("BASIC");
    const env = await b.env(org.id);
    // BASIC keeps payloads 180 days after closing: due in 5 days, and in 20.
    const due = await b.incident(org.id, env.id, "CLOSED", 175);
    await b.incident(org.id, env.id, "CLOSED", 160);
    const { id } = await requestExport(t.engine, {
      orgId: org.id,
      categories: ["INCIDENT_PAYLOADS"],
      requestedBy: admin,
    });
    const { files } = await built(t, id);
    const rows = ndjsonOf(files, "INCIDENT_PAYLOADS.ndjson");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: due.id,
      title: "drift",
      status: "CLOSED",
      payload: { incident_id: due.id, drift_summary: { workflows: ["a"] }, bytes: 50 },
    });
  });
});
