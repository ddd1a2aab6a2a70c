import { createHash, createPublicKey } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { readCsv } from "@/test/csv";
import { runAs } from "@/test/database";
import { createTestEngine, NOW, TEST_EVIDENCE_KEY, type TestEngine } from "@/test/engine";
import { lastMonthPack, ndjsonLines } from "@/test/evidence-pack";
import { purge } from "@/test/purge";
import { finallyDeleteDue } from "../../restore/final-deletion";
import { restoreItems } from "../../restore/restore";
import { verifyPack } from "./verify";

const DAY = 86_400_000;
const publicKey = createPublicKey(TEST_EVIDENCE_KEY);

let clock = NOW;
let t: TestEngine;
let admin: { id: number };
let org: number;
let other: number;
let runId: string;
let restoreId: string;
let restored: number;
let finallyDeleted: number[];

const pack = (orgId: number | null = null) => lastMonthPack(t.engine, admin, orgId);

/** A window batch's digest, recomputed from its ids as population.csv's README says. */
const digest = (category: string, orgId: number, ids: number[]) =>
  createHash("sha256")
    .update(`${category}:${orgId}:${ids.map(String).sort().join(",")}`)
    .digest("hex");

beforeAll(async () => {
  t = await createTestEngine({ restoreWindows: "product", now: () => clock });
  const b = builders(t.engine.db, t.engine.store);
  admin = await b.user("ADMIN");
  org = (await b.org("FREE")).id;
  other = (await b.org("FREE")).id;
  const artifacts = [];
  for (let i = 0; i < 4; i++) artifacts.push(await b.artifact(org, 40, { bytes: 100 + i }));
  const untouched = await b.artifact(other, 40, { bytes: 7 });
  ({
    run: { id: runId },
  } = await purge(t.engine, { orgIds: [org, other], categories: ["ARTIFACTS"] }, admin));
  const [first, ...rest] = artifacts.map((a) => a.id);
  restored = first ?? 0;
  ({ restoreId } = await restoreItems(
    t.engine,
    { runId, orgId: org, category: "ARTIFACTS", itemId: restored },
    admin,
  ));
  // The other org's artifact is restored too, so an org's pack must leave it out.
  await restoreItems(t.engine, { runId, orgId: other, itemId: untouched.id }, admin);
  clock = new Date(NOW.getTime() + 8 * DAY);
  const done = await finallyDeleteDue(t.engine, runId, Date.now() + 20_000);
  expect(done).toMatchObject({ deleted: 3, failed: 0 });
  finallyDeleted = rest;
});
afterAll(() => t.close());

describe("the restore window in the evidence pack", () => {
  it("lists each item restored or finally deleted, with its run, restore and batch digest", async () => {
    const { row, files } = await pack(org);
    const csv = readCsv(files.get("window.csv") ?? "");
    expect(csv.trailer).toEqual({ rows: csv.records.length, sha256: csv.sha256 });
    const lines = csv.records.map((r) => [
      r.action,
      r.run_id,
      r.restore_id,
      Number(r.org_id),
      r.category,
      Number(r.item_id),
      r.batch_sha256,
    ]);
    const deletedDigest = digest("ARTIFACTS", org, finallyDeleted);
    expect(lines.sort()).toEqual(
      [
        [
          "RESTORED",
          runId,
          restoreId,
          org,
          "ARTIFACTS",
          restored,
          digest("ARTIFACTS", org, [restored]),
        ],
        ...finallyDeleted.map((id) => [
          "FINALLY_DELETED",
          runId,
          "",
          org,
          "ARTIFACTS",
          id,
          deletedDigest,
        ]),
      ].sort(),
    );
    expect(csv.records.every((r) => !Number.isNaN(Date.parse(r.at ?? "")))).toBe(true);
    const summary = JSON.parse(files.get("pack.json") ?? "{}");
    expect(summary.window).toEqual({
      windowBatches: 2,
      finallyDeleted: { items: "3", bytes: String(101 + 102 + 103) },
      restored: { items: "1", bytes: "100" },
    });
    expect(files.get("README.txt")).toMatch(/window\.csv {13}What happened in the period/);
    expect(row).toMatchObject({ status: "READY", mismatches: 0 });
    const everyOrg = readCsv((await pack()).files.get("window.csv") ?? "").records;
    expect(
      everyOrg
        .filter((r) => r.action === "RESTORED")
        .map((r) => Number(r.org_id))
        .sort(),
    ).toEqual([org, other].sort());
  });

  it("reconciles each final deletion and restore with its window batches, and lists a disagreement", async () => {
    const clean = ndjsonLines((await pack(org)).files.get("reconciliation.ndjson"));
    const final = clean.find((l) => l.kind === "final-deletion");
    expect(final).toMatchObject({
      runId,
      record: { bytes: "306" },
      windowBatches: { items: "3", bytes: "306" },
      mismatches: [],
    });
    const restore = clean.find((l) => l.kind === "restore" && l.restoreId === restoreId);
    expect(restore).toMatchObject({
      record: { items: "1", bytes: "100" },
      windowBatches: { items: "1", bytes: "100" },
      mismatches: [],
    });
    await runAs(t.database.ownerUrl, `UPDATE restores SET items = 2 WHERE id = '${restoreId}'`);
    await runAs(
      t.database.ownerUrl,
      `UPDATE purge_runs SET finally_freed = finally_freed + 9 WHERE id = '${runId}'`,
    );
    try {
      const { row, files } = await pack(org);
      const lines = ndjsonLines(files.get("reconciliation.ndjson"));
      expect(lines.find((l) => l.kind === "final-deletion")?.mismatches).toEqual([
        `Run ${runId} counts 315 bytes finally freed, its window batches 306`,
      ]);
      expect(lines.find((l) => l.restoreId === restoreId)?.mismatches).toEqual([
        `Restore ${restoreId} (of run ${runId}) counts 2 restored, its window batches 1`,
      ]);
      expect(row.mismatches).toBe(2);
    } finally {
      await runAs(t.database.ownerUrl, `UPDATE restores SET items = 1 WHERE id = '${restoreId}'`);
      await runAs(
        t.database.ownerUrl,
        `UPDATE purge_runs SET finally_freed = finally_freed - 9 WHERE id = '${runId}'`,
      );
    }
  });

  it("verifies, and a byte changed in window.csv fails, naming window.csv", async () => {
    const { file } = await pack(org);
    expect(await verifyPack(file, publicKey)).toMatchObject({ ok: true });
    const original = await readFile(file);
    // Entries are stored one after another: find window.csv's local header by its name.
    const name = original.indexOf("window.csv");
    const dataStart = name + "window.csv".length + original.readUInt16LE(name - 2);
    const changed = Buffer.from(original);
    changed[dataStart + 3] = (changed[dataStart + 3] ?? 0) ^ 0x01;
    await writeFile(file, changed);
    const verdict = await verifyPack(file, publicKey);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.problems[0]).toMatch(/^window\.csv: /);
  });
});
