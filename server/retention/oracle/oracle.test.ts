import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  IncidentStatus,
  Plan,
  RetentionCategory,
  TaskQueueStatus,
} from "@/server/generated/prisma/enums";
import { createRandom, type Random } from "@/prisma/seed/random";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import {
  oracleRestoreDays,
  oracleWindow,
  PRESERVED_TYPES,
  TEMPORARY_TYPES,
  type OracleWorld,
} from "@/test/oracle";
import { finallyDeleteDue } from "../restore/final-deletion";
import { maybeNotices } from "@/test/oracle-notices";
import { emptySets, expectedDeletions, type Expectation } from "@/test/oracle-expected";
import { purge } from "@/test/purge";

const DAY = 86_400_000;
const SEEDS = Array.from({ length: 20 }, (_, i) => 1000 + i * 7919);
const PLANS: Plan[] = ["FREE", "BASIC", "PRO", "AGENCY", "ENTERPRISE"];
const ENV_NAMES = ["prod", "qa", "dev", "test", "staging"];
const MEMORY_TYPES = [...TEMPORARY_TYPES, ...PRESERVED_TYPES, "brand_voice", "character_notes"];
const STATUSES: IncidentStatus[] = [
  "DETECTED",
  "ACKNOWLEDGED",
  "STABILIZED",
  "RECONCILED",
  "CLOSED",
  "CLOSED",
];
const TASK_STATES: TaskQueueStatus[] = ["QUEUED", "RUNNING", "COMPLETED", "CANCELLED", "FAILED"];

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({ backdatingStore: "oracle" });
});
afterAll(() => t.close());

/**
 * Sometimes a pin on the artifact or incident: in force, lapsed (its date
 * passed) or removed early. Stored as such: the oracle is about what the
 * policy keeps, not about the checks on placing one.
 */
async function maybePin(
  random: Random,
  orgId: number,
  target: { artifactId?: number; incidentId?: number },
) {
  if (!random.chance(0.2)) return;
  const pinnedUntil = new Date(NOW.getTime() + random.int(-30, 60) * DAY);
  await t.engine.db.pin.create({
    data: {
      scope: target.artifactId ? "ARTIFACT" : "INCIDENT",
      orgId,
      ...target,
      pinnedUntil,
      reason: "oracle",
      placedById: 1,
      removedAt: random.chance(0.2) ? NOW : null,
    },
  });
}

/** A random world: every category, holds, pins, overrides, notices told, environment settings, open and closed incidents. */
async function buildWorld(random: Random): Promise<OracleWorld> {
  const b = builders(t.engine.db, t.engine.store);
  const env: Record<string, number> = {};
  if (random.chance(0.5)) env.RETENTION_DAYS_FREE = random.int(10, 60);
  if (random.chance(0.3)) env.RETENTION_DAYS_ENTERPRISE = random.int(400, 900);
  if (random.chance(0.5)) env.RETENTION_DAYS_DRIFT_CHECKS_PRO = random.int(5, 60);
  if (random.chance(0.5)) env.BACKUPS_KEEP_PROD = random.int(2, 8);
  if (random.chance(0.3)) env.RETENTION_DAYS_TASK_QUEUE_BASIC = -1;
  if (random.chance(0.5)) env[`RESTORE_DAYS_ARTIFACTS_${random.pick(PLANS)}`] = 0;
  if (random.chance(0.5)) env[`RESTORE_DAYS_BACKUPS_${random.pick(PLANS)}`] = random.int(1, 30);
  if (random.chance(0.5)) env[`RESTORE_DAYS_ERRORS_${random.pick(PLANS)}`] = random.int(1, 30);
  const noticePeriod: Record<string, boolean> = {};
  if (random.chance(0.3)) noticePeriod[`NOTICE_PERIOD_${random.pick(PLANS)}`] = random.chance(0.5);
  const world: OracleWorld = { now: NOW, env, noticePeriod, orgs: [], overrides: [] };
  for (let o = 0; o < 6; o++) {
    const plan = random.pick(PLANS);
    const org = await b.org(plan);
    const held = random.chance(0.15);
    if (held) await b.hold({ orgId: org.id });
    world.orgs.push({ id: org.id, plan, held });
    for (const category of [
      "ARTIFACTS",
      "DRIFT_CHECKS",
      "PROMPTS",
      "APPROVALS",
    ] as RetentionCategory[]) {
      const base = oracleWindow(world, org.id, plan, category);
      if (base === undefined || !random.chance(0.3)) continue;
      const days =
        base === null ? random.int(400, 1000) : random.int(Math.ceil(base / 2) + 1, base * 2);
      await t.engine.db.retentionOverride.create({
        data: { orgId: org.id, category, days, reason: "oracle", setById: 1 },
      });
      world.overrides.push({ orgId: org.id, category, days });
    }
    await maybeNotices(t.engine.db, random, world, org.id);
    const artifacts = [];
    for (let i = 0; i < 8; i++) {
      const a = await b.artifact(org.id, random.next() * 800);
      if (random.chance(0.1)) await b.hold({ orgId: org.id, artifactId: a.id });
      await maybePin(random, org.id, { artifactId: a.id });
      artifacts.push(a);
    }
    for (const name of ENV_NAMES.filter(() => random.chance(0.5))) {
      const e = await b.env(org.id, name);
      for (let i = random.int(0, 6); i > 0; i--)
        await b.driftCheck(org.id, e.id, random.next() * 400, random.int(0, 2));
      for (let i = random.int(0, 14); i > 0; i--) await b.backup(org.id, e.id, random.next() * 60);
      if (plan === "FREE") continue;
      for (let i = random.int(0, 3); i > 0; i--) {
        const status = random.pick(STATUSES);
        const incident = await b.incident(
          org.id,
          e.id,
          status,
          status === "CLOSED" || random.chance(0.2) ? random.next() * 3000 : null,
        );
        if (random.chance(0.15)) await b.hold({ orgId: org.id, incidentId: incident.id });
        await maybePin(random, org.id, { incidentId: incident.id });
        for (let k = random.int(0, 2); k > 0; k--)
          await b.approval(org.id, incident.id, random.next() * 600);
      }
    }
    for (let i = 0; i < 4; i++)
      await b.imageAnalysis(
        org.id,
        random.next() * 100,
        random.chance(0.5) ? random.pick(artifacts).id : undefined,
      );
    for (let i = 0; i < 6; i++)
      await b.memory(org.id, random.pick(MEMORY_TYPES), random.next() * 400);
    for (let i = 0; i < 3; i++) await b.sceneIteration(org.id, random.next() * 150);
    for (let i = 0; i < 5; i++) {
      const state = random.pick(TASK_STATES);
      await b.task(
        org.id,
        state,
        state === "QUEUED" || state === "RUNNING" ? null : random.next() * 20,
      );
    }
    for (let i = 0; i < 4; i++)
      await b.error(org.id, random.chance(0.6) ? random.next() * 90 : null);
    for (let i = 0; i < 4; i++) await b.prompt(org.id, random.next() * 40, random.chance(0.2));
    for (let i = 0; i < 3; i++) await b.orphan(org.id, random.next() * 20);
  }
  return world;
}

/**
 * What the engine actually removed: the run's manifest, checked against the
 * rows and objects left. Each batch's digest must be the one an auditor
 * recomputes from its ids (docs/engine.md says how).
 */
async function actual(runId: string): Promise<Expectation> {
  const out = emptySets();
  for (const batch of await t.engine.db.manifestBatch.findMany({ where: { runId } })) {
    for (const id of batch.itemIds) out[batch.category].add(id);
    const ids = [...batch.itemIds].sort().join(",");
    const digest = createHash("sha256").update(`${batch.category}:${batch.orgId}:${ids}`);
    expect(batch.sha256, `digest of ${batch.category} batch ${batch.id}`).toBe(
      digest.digest("hex"),
    );
  }
  return out;
}

/**
 * The restore window: exactly the purged items of a category and plan with
 * a window wait in it, until the oracle's day, with their objects; past it,
 * the final deletion takes them all, objects first.
 */
async function expectTwoStepLife(world: OracleWorld, want: Expectation, runId: string) {
  const planOf = new Map(world.orgs.map((o) => [o.id, o.plan]));
  const kept = await t.engine.db.keptItem.findMany({ where: { runId } });
  const keptIds = new Set(kept.map((k) => `${k.category}:${k.itemId}`));
  const { planId } = await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
  const plans = await t.engine.db.planItem.findMany({
    where: { planId },
    select: { category: true, itemId: true, orgId: true },
  });
  for (const item of plans) {
    const days = oracleRestoreDays(world, planOf.get(item.orgId) ?? "", item.category);
    const wanted = want[item.category].has(String(item.itemId));
    expect(keptIds.has(`${item.category}:${item.itemId}`), `${item.category} ${item.itemId}`).toBe(
      wanted && days > 0,
    );
  }
  for (const k of kept) {
    const days = oracleRestoreDays(world, planOf.get(k.orgId) ?? "", k.category);
    expect(k.restorableUntil.getTime()).toBe(world.now.getTime() + days * DAY);
    if (k.objectKey) expect(await t.engine.store.head(k.objectKey)).not.toBeNull();
  }
  const now = t.engine.now;
  t.engine.now = () => new Date(world.now.getTime() + 31 * DAY);
  try {
    await finallyDeleteDue(t.engine, runId, Date.now() + 30_000);
  } finally {
    t.engine.now = now;
  }
  for (const k of kept) if (k.objectKey) expect(await t.engine.store.head(k.objectKey)).toBeNull();
  expect(await t.engine.db.keptItem.count({ where: { runId } })).toBe(0);
}

describe("oracle: the engine deletes exactly what an independent predicate says", () => {
  it.each(SEEDS)("seed %i", async (seed) => {
    const random = createRandom(seed);
    const world = await buildWorld(random);
    t.engine.settings.policy = { ...world.env, ...world.noticePeriod };
    const want = await expectedDeletions(t.engine.db, t.engine.store, world);
    const { run } = await purge(t.engine, {
      orgIds: world.orgs.map((o) => o.id),
      categories: null,
    });
    const got = await actual(run.id);
    for (const category of Object.keys(want) as RetentionCategory[]) {
      expect([...got[category]].sort(), `${category} (seed ${seed})`).toEqual(
        [...want[category]].sort(),
      );
    }
    // The manifest says what went; the database and the bucket must agree.
    expect(
      await t.engine.db.artifact.count({ where: { id: { in: [...want.ARTIFACTS].map(Number) } } }),
    ).toBe(0);
    expect(
      await t.engine.db.prompt.count({
        where: { id: { in: [...want.PROMPTS].map(Number) }, archivedAt: null },
      }),
    ).toBe(0);
    expect(
      await t.engine.db.incidentPayload.count({
        where: { incidentId: { in: [...want.INCIDENT_PAYLOADS].map(Number) } },
      }),
    ).toBe(0);
    for (const key of want.ORPHAN_OBJECTS) expect(await t.engine.store.head(key)).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    expect(Number(run.deleted)).toBe(Object.values(want).reduce((n, s) => n + s.size, 0));
    await expectTwoStepLife(world, want, run.id);
  });
});
