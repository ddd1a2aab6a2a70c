import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { builders } from "@/test/builders";
import { workThenDie } from "@/test/crash-worker";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { startFaultProxy } from "@/test/s3-fault-proxy";
import { testS3Store } from "@/test/storage";
import { createRandom } from "@/prisma/seed/random";
import { confirmPlan } from "../plan/confirm";
import { previewPurge } from "../plan/preview";

/** `npm test` kills the worker a few times (LETHE_CRASHES=n for more); the fault suite crashes 30 runs. */
const CRASHES = Number(process.env.LETHE_CRASHES ?? 3);
/** Enough work that every crash lands before the run could finish. */
const ARTIFACTS_PER_ORG = 60 + CRASHES * 25;

let t: TestEngine;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
beforeAll(async () => {
  // Latency on every S3 request stretches batches, so kills land inside them.
  proxy = await startFaultProxy(inject("s3Endpoint"), { latencyMs: 15 });
  t = await createTestEngine({
    store: testS3Store(),
    settings: { batchSize: 25, leaseSeconds: 2, maxTaskAttempts: 50 },
  });
});
afterAll(async () => {
  await t.close();
  await proxy.stop();
});

const batchesDone = async (runId: string) => t.engine.db.manifestBatch.count({ where: { runId } });

/** As soon as the worker has committed a batch of its own, `jitterMs` later. */
async function afterItsFirstBatch(runId: string, jitterMs: number) {
  const before = await batchesDone(runId);
  const deadline = Date.now() + 20_000;
  while ((await batchesDone(runId)) === before && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, jitterMs));
}

describe("a purge killed anywhere resumes to the same end", () => {
  it(
    `survives ${CRASHES} SIGKILLs of its worker: same rows and objects as an uninterrupted run, nothing counted twice`,
    { timeout: 60_000 + CRASHES * 20_000 },
    async () => {
      const random = createRandom(7);
      const b = builders(t.engine.db, testS3Store());
      const orgs = [await b.org("FREE"), await b.org("BASIC")];
      const artifacts = [];
      for (const org of orgs) {
        for (let i = 0; i < ARTIFACTS_PER_ORG; i++)
          artifacts.push(
            await b.artifact(org.id, random.next() * 200, { bytes: 1 + random.int(1, 500) }),
          );
      }
      const env = await b.env(orgs[0]?.id ?? 0);
      for (let i = 0; i < 60; i++) await b.driftCheck(orgs[0]?.id ?? 0, env.id, i / 2, 1);
      const planId = await previewPurge(t.engine, {
        scope: { orgIds: orgs.map((o) => o.id), categories: ["ARTIFACTS", "DRIFT_CHECKS"] },
        trigger: "OPERATOR",
        actor: "system",
      });
      const items = await t.engine.db.planItem.findMany({ where: { planId } });
      const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
      const { runId } = await confirmPlan(t.engine, {
        planId,
        actor: "system",
        acknowledgement: (plan.guardrails as { confirmPhrase: string }).confirmPhrase,
      });

      let interrupted = 0;
      for (let crash = 0; crash < CRASHES; crash++) {
        const started = Date.now();
        await workThenDie(
          {
            databaseUrl: t.database.url,
            s3Endpoint: proxy.endpoint,
            batchSize: 25,
            leaseSeconds: 2,
            now: NOW,
          },
          () => afterItsFirstBatch(runId, random.int(0, 60)),
        );
        if (process.env.LETHE_VERBOSE)
          console.log(`crash ${crash + 1} after ${Date.now() - started} ms`);
        const state = await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
        if (state.status !== "RUNNING") break;
        interrupted++;
      }
      const run = await workToEnd(t.engine, runId, 120_000);
      console.log(
        `crash/resume: ${interrupted} SIGKILLs landed while the run was working; it resumed to ${run.status} with ${run.deleted} deleted`,
      );
      expect(interrupted).toBe(CRASHES);

      expect(run.status).toBe("SUCCEEDED");
      const goneArtifacts = new Set(
        items.filter((i) => i.category === "ARTIFACTS").map((i) => i.itemId),
      );
      const goneChecks = new Set(
        items.filter((i) => i.category === "DRIFT_CHECKS").map((i) => i.itemId),
      );
      // Same end as an uninterrupted run: exactly the plan's items are gone.
      const artifactsLeft = await t.engine.db.artifact.findMany({
        where: { orgId: { in: orgs.map((o) => o.id) } },
      });
      expect(artifactsLeft.map((a) => a.id).sort()).toEqual(
        artifacts
          .filter((a) => !goneArtifacts.has(a.id))
          .map((a) => a.id)
          .sort(),
      );
      const checksLeft = await t.engine.db.driftCheck.count({ where: { orgId: orgs[0]?.id } });
      expect(checksLeft).toBe(60 - goneChecks.size);
      // No row points at a deleted object, and no deleted row left its object behind.
      const store = testS3Store();
      for (const a of artifacts)
        expect(Boolean(await store.head(a.objectKey)), `artifact ${a.id}`).toBe(
          !goneArtifacts.has(a.id),
        );
      // Nothing counted twice: counters, bytes, totals and manifest all match what is gone.
      expect(Number(run.deleted)).toBe(items.length);
      const freed = artifacts
        .filter((a) => goneArtifacts.has(a.id))
        .reduce((sum, a) => sum + a.bytes, 0n);
      const tasks = await t.engine.db.purgeTask.findMany({ where: { runId } });
      expect(
        tasks.filter((x) => x.category === "ARTIFACTS").reduce((s, x) => s + x.bytesFreed, 0n),
      ).toBe(freed);
      const manifest = (await t.engine.db.manifestBatch.findMany({ where: { runId } })).flatMap(
        (m) => m.itemIds.map((id) => `${m.category}:${id}`),
      );
      expect(manifest.length).toBe(new Set(manifest).size);
      expect(manifest.length).toBe(items.length);
      const totals = await t.engine.db.purgeTotal.aggregate({ _sum: { deleted: true } });
      expect(Number(totals._sum.deleted)).toBe(items.length);
    },
  );
});
