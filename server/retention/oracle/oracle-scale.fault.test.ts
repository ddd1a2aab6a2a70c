import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan, RetentionCategory } from "@/server/generated/prisma/enums";
import { createRandom } from "@/prisma/seed/random";
import { ago } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { oracleWindow, type OracleWorld } from "@/test/oracle";
import { ALL_CATEGORIES, emptySets, expectedDeletions } from "@/test/oracle-expected";
import { purge } from "@/test/purge";
import { inParallel, seedWorld, worldRows, type WorldSize } from "@/test/scale-world";

const SIZE: WorldSize = {
  orgs: 50,
  artifacts: 25_000,
  driftChecks: 20_000,
  incidents: 5_000,
  approvals: 8_000,
  imageAnalyses: 8_000,
  memoryItems: 10_000,
  sceneIterations: 6_000,
  backups: 6_000,
  tasks: 5_000,
  errors: 5_000,
  prompts: 4_000,
  holdShare: 0.05,
};
const OVERRIDDEN: RetentionCategory[] = ["ARTIFACTS", "DRIFT_CHECKS", "APPROVALS", "ERRORS"];

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({ backdatingStore: "oracle-scale" });
});
afterAll(() => t.close());

/** Env settings, org overrides inside their plan's bounds, and objects: some orphans, some referenced. */
async function dressWorld(seed: number): Promise<OracleWorld> {
  const random = createRandom(seed);
  const env: Record<string, number> = {
    RETENTION_DAYS_FREE: random.int(10, 60),
    RETENTION_DAYS_DRIFT_CHECKS_PRO: random.int(5, 60),
    BACKUPS_KEEP_PROD: random.int(2, 8),
    RETENTION_DAYS_TASK_QUEUE_BASIC: -1,
  };
  const world: OracleWorld = { now: NOW, env, orgs: [], overrides: [] };
  const orgs = await t.engine.db.organization.findMany({
    include: { legalHolds: { where: { scope: "ORG", releasedAt: null } } },
  });
  for (const org of orgs) {
    world.orgs.push({ id: org.id, plan: org.plan, held: org.legalHolds.length > 0 });
    for (const category of OVERRIDDEN) {
      const base = oracleWindow(world, org.id, org.plan as Plan, category);
      if (base === undefined || !random.chance(0.15)) continue;
      // Inside the bounds setOverride enforces: half to four times the plan's, at most 7 years.
      const days =
        base === null
          ? random.int(400, 1000)
          : random.int(Math.ceil(base / 2) + 1, Math.min(base * 2, 2555));
      world.overrides.push({ orgId: org.id, category, days });
    }
  }
  await t.engine.db.retentionOverride.createMany({
    data: world.overrides.map((o) => ({
      orgId: o.orgId,
      category: o.category as RetentionCategory,
      days: o.days,
      reason: "oracle at scale",
      setById: 1,
    })),
  });
  // Unreferenced objects of every age, and old objects that rows still reference.
  const orphans = orgs.flatMap((o) =>
    [0, 1, 2].map((i) => ({ key: `orgs/${o.id}/tmp/${i}.bin`, days: random.next() * 20 })),
  );
  const referenced = await t.engine.db.$queryRaw<{ key: string }[]>`
    (SELECT object_key AS key FROM artifacts ORDER BY id LIMIT 1000)
    UNION ALL (SELECT object_key FROM backups ORDER BY id LIMIT 300)`;
  const objects = [...orphans, ...referenced.map((r) => ({ key: r.key, days: 40 }))];
  await inParallel(objects, 8, (o) => t.engine.store.put(o.key, new Uint8Array(8), ago(o.days)));
  t.engine.settings.policy = env;
  return world;
}

describe("oracle at scale: the engine deletes exactly what an independent predicate says", () => {
  it(`on a random world of ${worldRows(SIZE).toLocaleString("en-US")} governed rows, for every category`, async () => {
    const started = Date.now();
    await seedWorld(t.engine.db, NOW, SIZE);
    const world = await dressWorld(20261122);
    const seeded = Date.now();
    const want = await expectedDeletions(t.engine.db, t.engine.store, world);
    const predicted = Date.now();
    const { run } = await purge(t.engine, { orgIds: null, categories: null }, "system", {
      timeoutMs: 240_000,
      workers: 3,
    });
    const purged = Date.now();

    const got = emptySets();
    for (const batch of await t.engine.db.manifestBatch.findMany({ where: { runId: run.id } })) {
      for (const id of batch.itemIds) got[batch.category].add(id);
    }
    const lines = ALL_CATEGORIES.map((c) => `${c} ${want[c].size}`).join(", ");
    const expectedTotal = ALL_CATEGORIES.reduce((n, c) => n + want[c].size, 0);
    console.log(
      `oracle at scale: ${worldRows(SIZE).toLocaleString("en-US")} rows in ${SIZE.orgs} orgs ` +
        `(${world.overrides.length} overrides, ${world.orgs.filter((o) => o.held).length} under legal hold) ` +
        `seeded in ${seeded - started} ms; predicate ${predicted - seeded} ms; ` +
        `engine purge ${purged - predicted} ms: ${run.deleted} items, run ${run.status}. ` +
        `Expected per category: ${lines}`,
    );
    for (const category of ALL_CATEGORIES) {
      // A category the world gives nothing to delete would prove nothing.
      expect(want[category].size, `${category} has eligible items`).toBeGreaterThan(0);
      expect([...got[category]].sort(), category).toEqual([...want[category]].sort());
    }
    expect(run.status).toBe("SUCCEEDED");
    expect(Number(run.deleted)).toBe(expectedTotal);
    // The manifest says what went; the database and the bucket must agree.
    const after = await expectedDeletions(t.engine.db, t.engine.store, world);
    for (const category of ALL_CATEGORIES) expect(after[category].size, category).toBe(0);
    const ids = (c: RetentionCategory) => [...want[c]].map(Number);
    expect(await t.engine.db.artifact.count({ where: { id: { in: ids("ARTIFACTS") } } })).toBe(0);
    expect(await t.engine.db.backup.count({ where: { id: { in: ids("BACKUPS") } } })).toBe(0);
    expect(
      await t.engine.db.incident.count({
        where: { id: { in: ids("INCIDENT_PAYLOADS") }, payloadPurgedAt: { not: null } },
      }),
    ).toBe(want.INCIDENT_PAYLOADS.size);
    expect(
      await t.engine.db.prompt.count({
        where: { id: { in: ids("PROMPTS") }, archivedAt: { not: null } },
      }),
    ).toBe(want.PROMPTS.size);
    for (const key of want.ORPHAN_OBJECTS) expect(await t.engine.store.head(key)).toBeNull();
  });
});
