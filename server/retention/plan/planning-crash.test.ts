import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { workThenDie } from "@/test/crash-worker";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { FEW_ORGS, seedWorld, writeRowObjects } from "@/test/scale-world";
import { testS3Store } from "@/test/storage";
import { createRandom } from "@/prisma/seed/random";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { isSwept } from "../categories";
import { previewPurge } from "./preview";
import { openNow, planNow } from "./step-runner";

/** `npm test` kills the delivery a few times (LETHE_CRASHES=n for more). */
const CRASHES = Number(process.env.LETHE_CRASHES ?? 3);
const STEPS = { planStepOrgs: 1, planStepItems: 30 };

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({ settings: { ...STEPS, leaseSeconds: 2, maxTaskAttempts: 50 } });
  await seedWorld(t.engine.db, NOW, FEW_ORGS);
  await writeRowObjects(t.engine.db, [testS3Store()]);
});
afterAll(() => t.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A plan's manifest and entries as a user sees them, ids aside: a swept
 * category's items in manifest order (its sweeps walk them so), the others'
 * by org and item (steps of different orgs may finish in any order).
 */
async function planOf(planId: string) {
  const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
  const items = await t.engine.db.planItem.findMany({
    where: { planId },
    orderBy: { id: "asc" },
    select: { orgId: true, category: true, itemId: true, objectKey: true, bytes: true },
  });
  const byCategory: Record<string, typeof items> = {};
  for (const item of items) (byCategory[item.category] ??= []).push(item);
  for (const [category, list] of Object.entries(byCategory))
    if (!isSwept(category as RetentionCategory))
      list.sort(
        (a, b) =>
          a.orgId - b.orgId ||
          (a.itemId ?? 0) - (b.itemId ?? 0) ||
          (a.objectKey ?? "").localeCompare(b.objectKey ?? ""),
      );
  const entries = await t.engine.db.planEntry.findMany({
    where: { planId },
    orderBy: [{ orgId: "asc" }, { category: "asc" }],
    omit: { id: true, planId: true },
  });
  const { itemCount, bytes, manifestHash, guardrails } = plan;
  return { itemCount, bytes, manifestHash, guardrails, byCategory, entries };
}

/** The day's planning steps and run-opening steps done so far. */
const done = (kinds: "planning" | "opening") =>
  t.engine.db.planStep.count({
    where: {
      plan: { planKey: { not: null } },
      status: "SUCCEEDED",
      kind: kinds === "opening" ? { in: ["TASKS", "OPEN"] } : { notIn: ["TASKS", "OPEN"] },
    },
  });

/** Cron deliveries in a process of their own, killed once `steps` more of a kind are done. */
async function killAfter(kinds: "planning" | "opening", steps: number, random: () => number) {
  const before = await done(kinds);
  await workThenDie(
    {
      databaseUrl: t.database.url,
      s3Endpoint: inject("s3Endpoint"),
      batchSize: 25,
      leaseSeconds: 2,
      now: NOW,
      ...STEPS,
      cronBudgetMs: 3_000,
    },
    async () => {
      const going = async () =>
        kinds === "planning" ||
        (await t.engine.db.purgeRun.count({ where: { opening: true } })) > 0;
      while ((await done(kinds)) < before + steps && (await going())) await sleep(2);
      await sleep(random());
    },
  );
}

describe("a delivery killed mid-planning", () => {
  it(
    `resumes after ${CRASHES} SIGKILLs without planning anything twice: the plan written in one go`,
    { timeout: 60_000 + CRASHES * 20_000 },
    async () => {
      // The fleet's plan written here and now, nobody killed: what the day's plan must equal.
      const want = await planOf(
        await previewPurge(t.engine, {
          scope: { orgIds: null, categories: null },
          trigger: "CRON",
          actor: "system",
        }),
      );
      const random = createRandom(17);
      for (let i = 0; i < CRASHES; i++)
        await killAfter("planning", random.int(1, 8), () => random.int(0, 200));
      const plan = await t.engine.db.purgePlan.findFirstOrThrow({
        where: { planKey: { not: null } },
      });
      expect(plan.status, "the delivery was killed while it planned").toBe("PLANNING");
      await planNow(t.engine, plan.id);
      const got = await planOf(plan.id);
      expect(got).toEqual(want);
      console.log(
        `killed mid-planning: ${CRASHES} SIGKILLs of a cron delivery, then resumed; ` +
          `${got.itemCount} items planned once each, hash ${got.manifestHash.slice(0, 12)}… as in one go`,
      );
    },
  );
});

/** Killed an opening step apart: the run of 6 orgs opens in 7 steps, so a few of them. */
const OPENING_CRASHES = Math.min(CRASHES, 3);

describe("a delivery killed while the day's run opens", () => {
  it(
    `resumes after ${OPENING_CRASHES} SIGKILLs without writing or guarding a task twice: one task per entry`,
    { timeout: 60_000 + OPENING_CRASHES * 20_000 },
    async () => {
      // The planning test above left the day's plan planned and its run opening, none of it worked.
      const run = await t.engine.db.purgeRun.findFirstOrThrow({ where: { trigger: "CRON" } });
      expect(run.opening).toBe(true);
      const random = createRandom(23);
      for (let i = 0; i < OPENING_CRASHES; i++)
        await killAfter("opening", 1, () => random.int(0, 5));
      expect(
        (await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: run.id } })).opening,
        "the delivery was killed while the run opened",
      ).toBe(true);
      await openNow(t.engine, run.planId);

      const entries = await t.engine.db.planEntry.findMany({
        where: { planId: run.planId },
        orderBy: [{ orgId: "asc" }, { category: "asc" }],
        select: { orgId: true, category: true, itemCount: true },
      });
      const tasks = await t.engine.db.purgeTask.findMany({
        where: { runId: run.id },
        orderBy: [{ orgId: "asc" }, { category: "asc" }],
        select: { orgId: true, category: true, eligible: true },
      });
      expect(tasks).toEqual(
        entries.map((e) => ({ orgId: e.orgId, category: e.category, eligible: e.itemCount })),
      );
      const sweeps = await t.engine.db.purgeSweep.findMany({ where: { runId: run.id } });
      for (const sweep of sweeps)
        expect(new Set(sweep.guardedOrgs).size, "an org passed by twice").toBe(
          sweep.guardedOrgs.length,
        );
      const opened = await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: run.id } });
      expect(opened.opening).toBe(false);
      console.log(
        `killed while opening: ${OPENING_CRASHES} SIGKILLs of a cron delivery, then resumed; ` +
          `${tasks.length} tasks, one per entry`,
      );
    },
  );
});
