import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { builders } from "@/test/builders";
import { workThenDie } from "@/test/crash-worker";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged } from "@/test/purge";
import { startFaultProxy } from "@/test/s3-fault-proxy";
import { testS3Store } from "@/test/storage";
import { createRandom } from "@/prisma/seed/random";
import { previewPurge } from "../plan/preview";
import { finallyDeleteDue } from "./final-deletion";

/** `npm test` kills the worker a few times in each step (LETHE_CRASHES=n for more). */
const CRASHES = Number(process.env.LETHE_CRASHES ?? 3);
const ARTIFACTS_PER_ORG = 60 + CRASHES * 25;
const AFTER_WINDOW = new Date(NOW.getTime() + 8 * 86_400_000);

let clock = NOW;
let t: TestEngine;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
beforeAll(async () => {
  // Latency on every S3 request stretches batches, so kills land inside them.
  proxy = await startFaultProxy(inject("s3Endpoint"), { latencyMs: 15 });
  t = await createTestEngine({
    store: testS3Store(),
    restoreWindows: "product",
    now: () => clock,
    settings: { batchSize: 25, leaseSeconds: 2, maxTaskAttempts: 50 },
  });
});
afterAll(async () => {
  await t.close();
  await proxy.stop();
});

const store = testS3Store();
const count = (where: object) => t.engine.db.keptItem.count({ where });

/** Waits until `progress` moves, then `jitterMs` more: the worker is mid-work. */
async function afterProgress(progress: () => Promise<number>, jitterMs: number) {
  const before = await progress();
  const deadline = Date.now() + 20_000;
  while ((await progress()) === before && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, jitterMs));
}

/** No object of a kept item is gone while the item could still be restored (not marked). */
async function noRestorableItemLostItsObject() {
  const marked = (await t.engine.db.finalDeletionMark.findMany()).flatMap((m) => m.keptIds);
  const unmarked = await t.engine.db.keptItem.findMany({
    where: { id: { notIn: marked }, restoredAt: null },
    select: { objectKey: true },
  });
  for (const k of unmarked)
    expect(await store.head(k.objectKey ?? ""), k.objectKey ?? "").not.toBe(null);
}

describe("the restore window's two steps, killed anywhere, end as uninterrupted ones", () => {
  it(
    `keeps every item once through ${CRASHES} SIGKILLs of the purge, then finally deletes each once through ${CRASHES} more`,
    { timeout: 120_000 + CRASHES * 40_000 },
    async () => {
      const random = createRandom(11);
      const b = builders(t.engine.db, store);
      const orgs = [await b.org("FREE"), await b.org("BASIC")];
      const artifacts = [];
      for (const org of orgs)
        for (let i = 0; i < ARTIFACTS_PER_ORG; i++)
          artifacts.push(
            await b.artifact(org.id, 100 + random.next() * 100, { bytes: 1 + random.int(1, 500) }),
          );
      const planId = await previewPurge(t.engine, {
        scope: { orgIds: orgs.map((o) => o.id), categories: ["ARTIFACTS"] },
        trigger: "OPERATOR",
        actor: "system",
      });
      const { runId } = await confirmAcknowledged(t.engine, planId);
      const worker = {
        databaseUrl: t.database.url,
        s3Endpoint: proxy.endpoint,
        batchSize: 25,
        leaseSeconds: 2,
      };

      for (let crash = 0; crash < CRASHES; crash++) {
        await workThenDie({ ...worker, now: NOW }, () =>
          afterProgress(() => count({ runId }), random.int(0, 60)),
        );
        await noRestorableItemLostItsObject();
      }
      const run = await workToEnd(t.engine, runId, 120_000);
      expect(run.status).toBe("SUCCEEDED");
      // Every artifact kept exactly once, its object untouched, no bytes freed yet.
      const kept = await t.engine.db.keptItem.findMany({ where: { runId } });
      expect(kept.map((k) => k.itemId).sort()).toEqual(artifacts.map((a) => a.id).sort());
      expect(
        await t.engine.db.artifact.count({ where: { orgId: { in: orgs.map((o) => o.id) } } }),
      ).toBe(0);
      await noRestorableItemLostItsObject();
      expect(run.bytesFreed).toBe(0n);

      clock = AFTER_WINDOW;
      const finalDone = async () => artifacts.length - (await count({ runId }));
      for (let crash = 0; crash < CRASHES; crash++) {
        // A final deletion's batch is 5 requests' worth: 25 kept items, so kills land between them.
        await workThenDie({ ...worker, batchSize: 5, now: AFTER_WINDOW, finalRunId: runId }, () =>
          afterProgress(finalDone, random.int(0, 60)),
        );
        await noRestorableItemLostItsObject();
      }
      expect(await finalDone()).toBeLessThan(artifacts.length);
      await finallyDeleteDue(t.engine, runId, Date.now() + 60_000);
      // Each object deleted, each kept row deleted, each counted once with its bytes.
      for (const a of artifacts) expect(await store.head(a.objectKey), a.objectKey).toBe(null);
      expect(await count({ runId })).toBe(0);
      expect(await t.engine.db.finalDeletionMark.count()).toBe(0);
      const evidence = await t.engine.db.windowBatch.findMany({ where: { finalRunId: runId } });
      const ids = evidence.flatMap((w) => w.itemIds);
      expect(ids.length).toBe(new Set(ids).size);
      expect(ids.length).toBe(artifacts.length);
      expect(evidence.reduce((sum, w) => sum + w.bytes, 0n)).toBe(
        artifacts.reduce((sum, a) => sum + a.bytes, 0n),
      );
    },
  );
});
