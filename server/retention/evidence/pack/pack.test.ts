import { createHash, createPublicKey } from "node:crypto";
import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { readCsv } from "@/test/csv";
import { runAs } from "@/test/database";
import { createTestEngine, TEST_EVIDENCE_KEY, type TestEngine } from "@/test/engine";
import { erasureWorld } from "@/test/erasure";
import { lastMonthPack, ndjsonLines } from "@/test/evidence-pack";
import { purge } from "@/test/purge";
import { unzipBytes } from "@/test/zip-entries";
import { setDisabled } from "@/server/accounts/users";
import { createApiToken } from "@/server/auth/api-tokens";
import { requestPack } from "./packs";
import { ARCHIVE_SIGNATURE_LENGTH } from "./signature";
import { verifyPack } from "./verify";
import { ZipWriter } from "./writer";

const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
const publicKey = createPublicKey(TEST_EVIDENCE_KEY);

let t: TestEngine;
let admin: { id: number };
let orgA: number;
let orgB: number;
let runId: string;

/** Builds the pack of the last 30 days (of one org) and reads its files. */
const pack = (orgId: number | null = null) => lastMonthPack(t.engine, admin, orgId);

/** Every manifest item the database holds written in the last 30 days, as the pack's rows name them. */
async function manifestItems(orgId: number | null = null) {
  const batches = await t.engine.db.manifestBatch.findMany({
    where: {
      createdAt: { gte: new Date(`${daysAgo(29)}T00:00:00Z`) },
      ...(orgId ? { orgId } : {}),
    },
  });
  return batches
    .flatMap((b) => b.itemIds.map((id) => `${b.runId}|${b.orgId}|${b.category}|${id}`))
    .sort();
}

const populationOf = (files: Map<string, string>) => {
  const csv = readCsv(files.get("population.csv") ?? "");
  expect(csv.trailer).toEqual({ rows: csv.records.length, sha256: csv.sha256 });
  return csv.records.map((r) => `${r.run_id}|${r.org_id}|${r.category}|${r.item_id}`).sort();
};

beforeAll(async () => {
  t = await createTestEngine({ now: () => new Date() });
  const b = builders(t.engine.db, t.engine.store);
  admin = await b.user("ADMIN");
  orgA = (await b.org("FREE")).id;
  orgB = (await b.org("FREE")).id;
  for (const org of [orgA, orgB]) {
    for (let i = 0; i < 3; i++) await b.artifact(org, 40 + i, { bytes: 10 + i });
    const env = await b.env(org);
    for (let i = 0; i < 2; i++) await b.driftCheck(org, env.id, 10 + i);
  }
  ({
    run: { id: runId },
  } = await purge(t.engine, { orgIds: [orgA, orgB], categories: null }, admin));
});
afterAll(() => t.close());

describe("the evidence pack of a period", () => {
  it("holds exactly the manifest items of the period, of the org when one is chosen, and reconciles them", async () => {
    const all = await pack();
    const expected = await manifestItems();
    expect(all.row).toMatchObject({
      status: "READY",
      items: BigInt(expected.length),
      mismatches: 0,
    });
    expect(populationOf(all.files)).toEqual(expected);
    // Both orgs' artifacts and drift checks: the tasks' manifests and the sweeps' alike.
    expect(new Set(expected.map((i) => i.split("|").slice(1, 3).join("|")))).toEqual(
      new Set([orgA, orgB].flatMap((o) => [`${o}|ARTIFACTS`, `${o}|DRIFT_CHECKS`])),
    );
    const one = await pack(orgA);
    expect(populationOf(one.files)).toEqual(await manifestItems(orgA));
    // The run of both orgs that deleted them: who previewed, confirmed and ended it.
    const audited = ndjsonLines(one.files.get("audit-log.ndjson"));
    const ofRun = audited.filter(
      (e) => e.target === `run:${runId}` || e.action === "purge.previewed",
    );
    expect(ofRun.map((e) => e.action).sort()).toEqual([
      "purge.confirmed",
      "purge.finished",
      "purge.previewed",
    ]);
    // Its reconciliation checks the org's own part of that run, as well as the run's whole.
    const runLine = ndjsonLines(one.files.get("reconciliation.ndjson")).find(
      (l) => l.kind === "run" && l.runId === runId,
    );
    const orgItems = String(populationOf(one.files).length);
    expect(one.files.get("README.txt")).toContain(
      `A run's line gives org ${orgA}'s part of it too, in "org".`,
    );
    expect(runLine?.org).toMatchObject({
      orgId: orgA,
      record: { items: orgItems },
      manifest: { items: orgItems },
    });
    expect(populationOf(one.files).length).toBe(expected.length / 2);
    // Each audit entry's hash, recomputed from the file alone as its README says.
    expect(all.files.get("README.txt")).toContain("keys sorted at every level");
    const sorted = (v: unknown): unknown =>
      v === null || typeof v !== "object"
        ? v
        : Array.isArray(v)
          ? v.map(sorted)
          : Object.fromEntries(
              Object.entries(v)
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([k, x]) => [k, sorted(x)]),
            );
    const entries = ndjsonLines(all.files.get("audit-log.ndjson"));
    expect(entries.length).toBeGreaterThan(0);
    for (const { id, prevHash, hash, ...fields } of entries) {
      const json = JSON.stringify(sorted(fields));
      const recomputed = createHash("sha256")
        .update(`${String(prevHash)}${json}`)
        .digest("hex");
      expect(recomputed, `entry ${String(id)}`).toBe(hash);
    }
    for (const line of ndjsonLines(all.files.get("reconciliation.ndjson")))
      expect(line.mismatches, JSON.stringify(line)).toEqual([]);
  });

  it("leaves out what was deleted before the period", async () => {
    await runAs(
      t.database.ownerUrl,
      `UPDATE manifest_batches SET created_at = now() - interval '40 days' WHERE org_id = ${orgB} AND category = 'ARTIFACTS'`,
    );
    const { files } = await pack();
    const left = await manifestItems();
    expect(populationOf(files)).toEqual(left);
    expect(left.filter((i) => i.includes(`|${orgB}|ARTIFACTS|`))).toEqual([]);
    expect(left.filter((i) => i.includes(`|${orgB}|DRIFT_CHECKS|`)).length).toBeGreaterThan(0);
  });

  it("lists a run whose record disagrees with its manifest, and metrics that disagree with the tasks", async () => {
    const { deleted } = await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
    await runAs(
      t.database.ownerUrl,
      `UPDATE purge_runs SET deleted = deleted + 2 WHERE id = '${runId}'`,
    );
    await runAs(
      t.database.ownerUrl,
      `UPDATE purge_totals SET deleted = deleted + 5 WHERE plan = 'FREE' AND category = 'ARTIFACTS'`,
    );
    const { row, files } = await pack();
    const lines = ndjsonLines(files.get("reconciliation.ndjson"));
    const run = lines.find((l) => l.kind === "run" && l.runId === runId);
    expect(run?.mismatches).toEqual([
      `Run ${runId} counts ${deleted + 2n} deleted, its manifest ${deleted}`,
    ]);
    const metric = lines.find((l) => l.kind === "metrics" && l.category === "ARTIFACTS");
    expect(metric?.mismatches).toEqual([
      'retention_deletes_total{plan="FREE",category="ARTIFACTS"} is 11, ended tasks deleted 6',
    ]);
    expect(row.mismatches).toBe(2);
    expect(JSON.parse(files.get("pack.json") ?? "{}")).toMatchObject({
      reconciliation: { mismatches: 2 },
    });
    await runAs(
      t.database.ownerUrl,
      `UPDATE purge_runs SET deleted = deleted - 2 WHERE id = '${runId}'`,
    );
    await runAs(
      t.database.ownerUrl,
      `UPDATE purge_totals SET deleted = deleted - 5 WHERE plan = 'FREE' AND category = 'ARTIFACTS'`,
    );
  });

  it("verifies offline, and a byte changed anywhere fails, naming what failed", async () => {
    const { file } = await pack(orgA);
    expect(await verifyPack(file, publicKey)).toMatchObject({ ok: true });
    const original = await readFile(file);
    // The first file's data starts after its local header: 30 bytes, its name and its extra field.
    const dataStart = 30 + original.readUInt16LE(26) + original.readUInt16LE(28);
    const positions = {
      "population.csv's data": dataStart + 3,
      "a header's timestamp": 10,
      "the central directory": original.length - 200,
      "the signature": original.length - 5,
    };
    for (const [where, at] of Object.entries(positions)) {
      const changed = Buffer.from(original);
      changed[at] = (changed[at] ?? 0) ^ 0x01;
      await writeFile(file, changed);
      const verdict = await verifyPack(file, publicKey);
      expect(verdict.ok, where).toBe(false);
      if (!verdict.ok) expect(verdict.problems.join("\n"), where).toMatch(/archive's signature/);
      if (!verdict.ok && where.startsWith("population"))
        expect(verdict.problems[0], where).toMatch(/^population\.csv: /);
    }
    await writeFile(file, original);
    const other = createPublicKey(
      (await import("node:crypto")).generateKeyPairSync("ed25519").privateKey,
    );
    const verdict = await verifyPack(file, other);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.problems[0]).toMatch(/manifest\.json: signed by key/);
      // Another key is not a changed byte: the archive's problem says whose key signed it.
      expect(verdict.problems.at(-1)).toMatch(
        /^the archive's signature .* does not verify with key [0-9a-f]{16}: manifest\.json names key [0-9a-f]{16} as the signer$/,
      );
    }
    // Zipped again with a comment of its own: no signature, rather than a changed byte.
    const unsigned = Buffer.from(original);
    unsigned.fill(" ", unsigned.length - ARCHIVE_SIGNATURE_LENGTH);
    await writeFile(file, unsigned);
    const rezipped = await verifyPack(file, publicKey);
    expect(rezipped.ok).toBe(false);
    if (!rezipped.ok)
      expect(rezipped.problems).toEqual([
        expect.stringMatching(
          /^the archive's signature is missing: its last \d+ bytes are not one/,
        ),
      ]);
    await writeFile(file, original);
  });

  it("refuses a period that ends before it starts, is too long, or names no org, and writes nothing", async () => {
    const before = await t.engine.db.evidencePack.count();
    const ask = (fromDay: string, toDay: string, orgId: number | null = null) =>
      requestPack(t.engine, { actor: admin, period: { fromDay, toDay, orgId } });
    await expect(ask(today(), daysAgo(1))).rejects.toThrow(/ends .* before it starts/);
    await expect(ask(daysAgo(400), today())).rejects.toThrow(/401 days; a pack covers at most 366/);
    await expect(ask(daysAgo(2), today(), 999_999)).rejects.toThrow(/No organization 999999/);
    await expect(ask("2026-02-30", today())).rejects.toThrow(/is not a day/);
    expect(await t.engine.db.evidencePack.count()).toBe(before);
  });
});

describe("who the pack's actors are", () => {
  /** actors.csv's lines by actor key, its last line checked. */
  const actorsOf = (files: Map<string, string>) => {
    const csv = readCsv(files.get("actors.csv") ?? "");
    expect(csv.trailer).toEqual({ rows: csv.records.length, sha256: csv.sha256 });
    return new Map(csv.records.map((r) => [r.actor ?? "", r]));
  };
  /** Every actor key audit-log.ndjson names (as actor or target) and pack.json's builtBy. */
  const keysNamed = (files: Map<string, string>) => {
    const keys = new Set([String(JSON.parse(files.get("pack.json") ?? "{}").builtBy)]);
    for (const e of ndjsonLines(files.get("audit-log.ndjson")))
      for (const key of [e.actor, e.target])
        if (typeof key === "string" && /^(system|user:\d+|token:\d+)$/.test(key)) keys.add(key);
    return keys;
  };

  it("names each person and token of an org's erasure, as the pack was built, and only that org's", async () => {
    const w = await erasureWorld(t);
    const { org } = await w.enterpriseOrg();
    const request = await w.request(org.id);
    await w.erase(t.engine, request.id, 2n);
    // Another admin, outside the org: adds a third admin's API token, which purges the org, then disables the requester.
    const accounts = await w.b.user("ADMIN");
    const operator = await w.b.user("ADMIN");
    const { id: tokenId } = await createApiToken(t.engine.db, {
      actor: accounts,
      via: "cli",
      userId: operator.id,
      token: { name: "nightly sweep", scope: "PURGE" },
    });
    await purge(t.engine, { orgIds: [org.id], categories: null }, { id: operator.id, tokenId });
    await setDisabled(t.engine.db, {
      actor: accounts,
      via: "cli",
      userId: w.requester.id,
      disabled: true,
      production: false,
    });

    const one = await lastMonthPack(t.engine, admin, org.id);
    const actors = actorsOf(one.files);
    expect(new Set(actors.keys())).toEqual(keysNamed(one.files));
    // From the pack alone: the erasure's approver is an admin other than its requester.
    const entries = ndjsonLines(one.files.get("audit-log.ndjson"));
    const actorOf = (action: string) =>
      actors.get(String(entries.find((e) => e.action === action)?.actor));
    expect(actorOf("erasure.requested")).toMatchObject({
      actor: `user:${w.requester.id}`,
      user_id: String(w.requester.id),
      name: w.requester.name,
      email: w.requester.email,
      role: "ADMIN",
      created_at: w.requester.createdAt.toISOString(),
    });
    // Disabled after the erasure: the pack says so, as of its build.
    expect(actorOf("erasure.requested")?.disabled_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(actorOf("erasure.approved")).toMatchObject({
      actor: `user:${w.approver.id}`,
      user_id: String(w.approver.id),
      email: w.approver.email,
      role: "ADMIN",
      disabled_at: "",
    });
    // The token's purge: the token, and its owner who acted through it.
    expect(actors.get(`token:${tokenId}`)).toMatchObject({
      label: `API token nightly sweep (${operator.name})`,
      user_id: String(operator.id),
      email: operator.email,
      role: "ADMIN",
      token_name: "nightly sweep",
      token_scope: "PURGE",
      token_revoked_at: "",
    });
    expect(actors.get(`user:${admin.id}`)).toMatchObject({ role: "ADMIN" });
    // The accounts admin acted on no entry of the org: not in its pack.
    expect(actors.has(`user:${accounts.id}`)).toBe(false);
    expect(one.files.get("README.txt")).toContain("as of the pack's build");

    // The pack of every org: the accounts admin too, and the requester as the target disabled.
    const all = await lastMonthPack(t.engine, admin, null);
    const everyone = actorsOf(all.files);
    expect(new Set(everyone.keys())).toEqual(keysNamed(all.files));
    expect(everyone.get(`user:${accounts.id}`)).toMatchObject({ email: accounts.email });
    expect(everyone.get("system")).toMatchObject({ label: "system", user_id: "" });
  });

  it("verifies with actors.csv, and an edit of it fails, naming it", async () => {
    const { file, files } = await pack(orgA);
    expect(await verifyPack(file, publicKey)).toMatchObject({
      ok: true,
      files: expect.arrayContaining([expect.objectContaining({ name: "actors.csv" })]),
    });
    const edited = `${file}.edited.zip`;
    const zip = new ZipWriter(createWriteStream(edited));
    // Every file of the pack is text.
    for (const [name, bytes] of await unzipBytes(file)) {
      const text = bytes.toString("utf8");
      await zip.add(name, name === "actors.csv" ? text.replace(",ADMIN,", ",VIEWER,") : text);
    }
    await zip.end();
    expect(files.get("actors.csv")).toContain(",ADMIN,");
    const verdict = await verifyPack(edited, publicKey);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.problems).toContainEqual(
        expect.stringMatching(/^actors\.csv: its SHA-256 is [0-9a-f]{64} .* manifest\.json says /),
      );
  });
});
