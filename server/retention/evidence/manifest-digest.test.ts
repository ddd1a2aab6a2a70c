import { createHash } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ago, builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { sql } from "../sql";

// The digest as docs/engine.md states it to an auditor, computed here on its
// own: the ids sorted by their UTF-8 bytes, joined by ",", after
// "<CATEGORY>:<orgId>:", hashed with SHA-256, as lowercase hex.
const byBytes = (ids: string[]) =>
  [...ids].sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
const documented = (category: string, orgId: number, ids: string[]) =>
  createHash("sha256")
    .update(`${category}:${orgId}:${byBytes(ids).join(",")}`, "utf8")
    .digest("hex");

let t: TestEngine;
beforeAll(async () => {
  // Old orphans whose keys the test chooses.
  t = await createTestEngine({ backdatingStore: "digest" });
});
afterAll(() => t.close());

const inDatabase = async (category: string, orgId: number, ids: string[]) => {
  const [row] = await t.engine.db.$queryRaw<{ ids: string[]; digest: string }[]>(sql`
    SELECT manifest_order(${ids}::text[]) AS ids,
           manifest_batch_digest(${category}, ${orgId}::int, ${ids}::text[]) AS digest`);
  return row;
};

describe("the manifest batch digest", () => {
  it("is the documented formula, for any ids in any order: commas, quotes, any script", async () => {
    // Postgres text holds no NUL; an id never does.
    const id = fc.string({ unit: "binary", maxLength: 12 }).filter((s) => !s.includes("\0"));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("ARTIFACTS", "DRIFT_CHECKS", "ORPHAN_OBJECTS"),
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.array(id, { minLength: 1, maxLength: 20 }),
        async (category, orgId, ids) => {
          const row = await inDatabase(category, orgId, ids);
          expect(row?.ids).toEqual(byBytes(ids));
          expect(row?.digest).toBe(documented(category, orgId, ids));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("is what both runners write: a task's batches (rows, objects) and a sweep's end", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const admin = await b.user("ADMIN");
    const org = await b.org("FREE");
    const env = await b.env(org.id);
    for (const age of [40, 41, 42]) await b.artifact(org.id, age);
    for (const age of [10, 11, 12]) await b.driftCheck(org.id, env.id, age);
    await b.driftCheck(org.id, env.id, 1);
    // Keys whose order differs by UTF-16 units and by UTF-8 bytes (U+FF5E,
    // U+1D11E), and keys that a comma joins ambiguously.
    const names = ["a,b", "a", "b", "\uFF5E", "\u{1D11E}", "10", "9"];
    for (const name of names) await t.engine.store.put(`orgs/${org.id}/tmp/${name}`, "x", ago(30));

    const { run } = await purge(
      t.engine,
      { orgIds: [org.id], categories: ["ARTIFACTS", "DRIFT_CHECKS", "ORPHAN_OBJECTS"] },
      admin,
    );
    expect(run.status).toBe("SUCCEEDED");
    const batches = await t.engine.db.manifestBatch.findMany({ where: { runId: run.id } });
    expect(new Set(batches.map((m) => m.category))).toEqual(
      new Set(["ARTIFACTS", "DRIFT_CHECKS", "ORPHAN_OBJECTS"]),
    );
    for (const m of batches) {
      expect(m.itemIds).toEqual(byBytes(m.itemIds));
      expect(m.sha256, `${m.category} batch ${m.batchNo}`).toBe(
        documented(m.category, m.orgId, m.itemIds),
      );
    }
    const orphans = batches.find((m) => m.category === "ORPHAN_OBJECTS");
    expect(orphans?.itemIds).toEqual(byBytes(names.map((n) => `orgs/${org.id}/tmp/${n}`)));
  });
});
