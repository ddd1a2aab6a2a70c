import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { runAs } from "@/test/database";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { ndjsonLines, storedPack, unzip } from "@/test/evidence-pack";
import { placeHold, releaseHold } from "../../policy/holds";
import { setOverride } from "../../policy/overrides";
import { runDailyPurge } from "../../run/daily";
import { requestPack, workPacks } from "./packs";

const DAY = 86_400_000;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
const today = () => dayOf(Date.now());

let t: TestEngine;
let admin: { id: number };
let org: number;
let other: number;
let dailyRunId: string;
let heldId: number;

beforeAll(async () => {
  t = await createTestEngine({
    now: () => new Date(),
    settings: { policy: { BACKUPS_KEEP_TEST: 2 } },
  });
  const b = builders(t.engine.db, t.engine.store);
  admin = await b.user("ADMIN");
  org = (await b.org("FREE")).id;
  other = (await b.org("BASIC")).id;
  for (const o of [org, other]) for (let i = 0; i < 2; i++) await b.artifact(o, 200 + i);
  // Four backups of a test environment: the daily run keeps the newest 2.
  const testEnv = await b.env(org, "test");
  for (let i = 1; i <= 4; i++) await b.backup(org, testEnv.id, i);
  const { progress } = await runDailyPurge(t.engine, Date.now() + 5_000);
  dailyRunId = (await workToEnd(t.engine, progress?.id ?? "")).id;
  // After the daily run: an override set, and one changed and cleared, and holds placed.
  await setOverride(t.engine.db, t.engine.settings, {
    actor: admin,
    orgId: org,
    category: "ARTIFACTS",
    days: 20,
    reason: "asked by jane.doe@example.com",
  });
  await setOverride(t.engine.db, t.engine.settings, {
    actor: admin,
    orgId: org,
    category: "ERRORS",
    days: 40,
    reason: "contract",
  });
  // Backdated as if set three days ago: the audit entry is what the reconstruction reads.
  await runAs(
    t.database.ownerUrl,
    `ALTER TABLE audit_log DISABLE TRIGGER USER;
     UPDATE audit_log SET at = now() - interval '3 days' WHERE action = 'policy.override.set' AND details->>'category' = 'ERRORS';
     ALTER TABLE audit_log ENABLE TRIGGER USER`,
  );
  heldId = (
    await placeHold(t.engine.db, {
      actor: admin,
      target: { scope: "ORG", orgId: org },
      reason: "Jane Doe's dispute",
    })
  ).id;
  const released = await placeHold(t.engine.db, {
    actor: admin,
    target: { scope: "ORG", orgId: other },
    reason: "brief",
  });
  await releaseHold(t.engine.db, {
    actor: admin,
    holdId: released.id,
    reason: "the matter is closed",
  });
});
afterAll(() => t.close());

describe("the policy in force on each day, in the pack", () => {
  it("says, per day, the windows the daily run applied, the overrides and holds in force, and what is not recorded", async () => {
    const { pack } = await requestPack(t.engine, {
      actor: admin,
      period: { fromDay: dayOf(Date.now() - 5 * DAY), toDay: today(), orgId: null },
    });
    const files = await unzip(await storedPack(t.engine, pack.id));
    const lines = ndjsonLines(files.get("policy-days.ndjson"));
    expect(lines.map((l) => l.day)).toEqual(
      [5, 4, 3, 2, 1, 0].map((n) => dayOf(Date.now() - n * DAY)),
    );
    const [fiveDaysAgo, , threeDaysAgo] = lines;
    const now = lines[lines.length - 1];
    expect(now?.dailyRuns).toMatchObject([{ runId: dailyRunId }]);
    expect(now?.windows).toEqual([
      { plan: "BASIC", category: "ARTIFACTS", days: 90, orgs: 1 },
      { plan: "FREE", category: "ARTIFACTS", days: 30, orgs: 1 },
      {
        plan: "FREE",
        category: "BACKUPS",
        rule: "newest N kept per environment",
        kept: { prod: 10, qa: 5, dev: 5, test: 2, other: 5 },
        orgs: 1,
      },
    ]);
    expect(now?.overrides).toEqual([
      { orgId: org, category: "ARTIFACTS", days: 20 },
      { orgId: org, category: "ERRORS", days: 40 },
    ]);
    expect(threeDaysAgo?.overrides).toEqual([{ orgId: org, category: "ERRORS", days: 40 }]);
    expect(fiveDaysAgo?.overrides).toEqual([]);
    expect(fiveDaysAgo?.windows).toEqual([]);
    expect(fiveDaysAgo?.windowsFrom).toBe("not recorded: no daily run planned on this day");
    expect(now?.holds).toMatchObject([
      { id: heldId, scope: "ORG", orgId: org, releasedAt: null },
      { scope: "ORG", orgId: other, releasedAt: expect.any(String) },
    ]);
    expect(fiveDaysAgo?.holds).toEqual([]);
    // Reasons are typed by people: none reaches the evidence.
    expect([...files.values()].join("\n")).not.toMatch(/jane|Jane|dispute/);
    const summary = JSON.parse(files.get("pack.json") ?? "{}") as { policy: { sources: object } };
    expect(Object.keys(summary.policy.sources)).toEqual([
      "windows",
      "overrides",
      "holds",
      "notRecorded",
    ]);
  });

  it("gives the backups the daily run kept, though the deployment keeps another number when the pack is built", async () => {
    expect(await t.engine.db.backup.count({ where: { orgId: org } })).toBe(2);
    const reconfigured = {
      ...t.engine,
      settings: {
        ...t.engine.settings,
        policy: { ...t.engine.settings.policy, BACKUPS_KEEP_TEST: 1 },
      },
    };
    const { pack } = await requestPack(reconfigured, {
      actor: admin,
      period: { fromDay: today(), toDay: today(), orgId: org },
    });
    const files = await unzip(await storedPack(t.engine, pack.id));
    const [day] = ndjsonLines(files.get("policy-days.ndjson"));
    expect(day?.windows).toContainEqual(
      expect.objectContaining({ category: "BACKUPS", kept: expect.objectContaining({ test: 2 }) }),
    );
    const summary = JSON.parse(files.get("pack.json") ?? "{}") as {
      policy: { configuredAtBuild: { backupsKept: object } };
    };
    expect(summary.policy.configuredAtBuild.backupsKept).toMatchObject({ test: 1 });
  });

  it("a big period is queued and built in the background, its progress counting every manifest batch", async () => {
    const { pack, queued } = await requestPack(
      t.engine,
      { actor: admin, period: { fromDay: today(), toDay: today(), orgId: null } },
      0,
    );
    expect(queued).toBe(true);
    expect(
      await t.engine.db.evidencePack.findUniqueOrThrow({ where: { id: pack.id } }),
    ).toMatchObject({
      status: "QUEUED",
      done: 0n,
    });
    await workPacks(t.engine);
    const built = await t.engine.db.evidencePack.findUniqueOrThrow({ where: { id: pack.id } });
    expect(built).toMatchObject({ status: "READY", mismatches: 0 });
    expect(built.done).toBe(built.total);
    expect(built.total).toBe(BigInt(await t.engine.db.manifestBatch.count()));
    const audited = await t.engine.db.auditEntry.findMany({
      where: { target: `evidence:${pack.id}` },
      orderBy: { id: "asc" },
    });
    expect(audited.map((e) => [e.action, e.actorId])).toEqual([
      ["evidence.requested", admin.id],
      ["evidence.built", null],
    ]);
  });
});
