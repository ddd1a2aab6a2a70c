import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { workThenDie } from "@/test/crash-worker";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { FEW_ORGS, seedWorld, writeRowObjects } from "@/test/scale-world";
import { testS3Store } from "@/test/storage";
import { createRandom } from "@/prisma/seed/random";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { isSwept } from "../categories";
import { previewPurge } from "./preview";
import { planNow } from "./step-runner";

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
      const done = () =>
        t.engine.db.planStep.count({
          where: { plan: { planKey: { not: null } }, status: "SUCCEEDED" },
        });
      for (let i = 0; i < CRASHES; i++) {
        const before = await done();
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
            const after = before + random.int(1, 8);
            while ((await done()) < after) await sleep(2);
            await sleep(random.int(0, 200));
          },
        );
      }
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
