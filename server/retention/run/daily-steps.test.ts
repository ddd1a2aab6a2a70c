import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { FEW_ORGS, seedWorld, writeRowObjects } from "@/test/scale-world";
import { runEvidence, worldState } from "@/test/world-state";
import type { EngineSettings } from "../deps";
import { LocalStore } from "../../storage/local-store";
import { runDailyPurge } from "./daily";

let pristine: TestDatabase;
const folders: string[] = [];
beforeAll(async () => {
  pristine = await createTestDatabase();
  await seedWorld(pristine.db, NOW, FEW_ORGS);
  await pristine.db.$disconnect();
});
afterAll(async () => {
  await pristine.drop();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** A copy of the world: its own database, and its own folder holding every row's object. */
async function copyOfWorld(settings: Partial<EngineSettings>): Promise<TestEngine> {
  const database = await createTestDatabase({ template: pristine.name });
  const folder = await mkdtemp(path.join(os.tmpdir(), "lethe-daily-steps-"));
  folders.push(folder);
  const store = new LocalStore(folder);
  await writeRowObjects(database.db, [store]);
  const t = await createTestEngine({ database, store, settings });
  return { ...t, close: async () => (await t.close(), await database.drop()) };
}

/** The day's plan as a user sees it (its counts and every entry, ids aside), and the storage snapshots. */
async function planOf(t: TestEngine, planId: string) {
  const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
  const entries = await t.engine.db.planEntry.findMany({
    where: { planId },
    orderBy: [{ orgId: "asc" }, { category: "asc" }],
    omit: { id: true, planId: true },
  });
  const snapshot = await t.engine.db.storageSnapshot.findMany({
    orderBy: [{ day: "asc" }, { orgId: "asc" }, { category: "asc" }],
    omit: { id: true },
  });
  return {
    items: plan.itemCount,
    bytes: plan.bytes,
    guardrails: plan.guardrails,
    entries,
    snapshot,
  };
}

/** Cron deliveries of `budgetMs` each, back to back, until the day's run ended. */
async function deliverUntilDone(t: TestEngine, budgetMs: number) {
  const answers = [];
  for (let n = 0; n < 2000; n++) {
    const answer = await runDailyPurge(t.engine, Date.now() + budgetMs);
    answers.push(answer);
    if (answer.progress && answer.progress.status !== "RUNNING") return answers;
  }
  throw new Error("the day's run did not end in 2000 deliveries");
}

describe("the daily run planned in steps", () => {
  it(
    "planned across many short deliveries, it deletes exactly what a run planned in one go does",
    { timeout: 180_000 },
    async () => {
      const oneGo = await copyOfWorld({ planStepOrgs: 1_000_000, planStepItems: 1_000_000_000 });
      const first = await runDailyPurge(oneGo.engine, Date.now() + 60_000);
      const oneGoRun = await workToEnd(oneGo.engine, first.progress?.id ?? "");
      const want = {
        world: await worldState(oneGo.engine.db, oneGo.engine.store),
        evidence: await runEvidence(oneGo.engine.db, oneGoRun.id),
        plan: await planOf(oneGo, oneGoRun.planId),
      };
      await oneGo.close();

      // One org and 40 drift check ids per step: about a hundred steps, a few per delivery.
      const stepped = await copyOfWorld({ planStepOrgs: 1, planStepItems: 40, batchSize: 50 });
      const answers = await deliverUntilDone(stepped, 700);
      const [day] = answers;
      const run = await stepped.engine.db.purgeRun.findFirstOrThrow({ where: { trigger: "CRON" } });
      const steps = await stepped.engine.db.planStep.count({ where: { planId: run.planId } });
      const planning = answers.filter((a) => a.planning?.status === "PLANNING").length;
      console.log(
        `daily run in steps: ${steps} planning steps over ${planning} deliveries still planning, ` +
          `${answers.length} deliveries in all; ${run.deleted} items deleted, as in one go`,
      );
      // The first delivery only started planning: it did not write the fleet's plan.
      expect(day?.planning?.status).toBe("PLANNING");
      expect(planning).toBeGreaterThan(3);
      expect(await planOf(stepped, run.planId)).toEqual(want.plan);
      expect(await worldState(stepped.engine.db, stepped.engine.store)).toEqual(want.world);
      expect(await runEvidence(stepped.engine.db, run.id)).toEqual(want.evidence);
      // Planned once: no item twice in the manifest.
      const [dupes] = await stepped.engine.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (SELECT category, item_id, object_key FROM plan_items
        WHERE plan_id = ${run.planId} GROUP BY 1, 2, 3 HAVING count(*) > 1) d`;
      expect(dupes?.n).toBe(0);
      await stepped.close();
    },
  );
});
