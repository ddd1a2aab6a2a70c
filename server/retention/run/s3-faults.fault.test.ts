import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PurgeRun } from "@/server/generated/prisma/client";
import { createRandom } from "@/prisma/seed/random";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { startFaultProxy } from "@/test/s3-fault-proxy";
import { startS3Server } from "@/test/s3-server";
import { inParallel, seedWorld, writeRowObjects, type WorldSize } from "@/test/scale-world";
import { testS3Store } from "@/test/storage";
import { allKeys } from "@/test/world-state";
import { confirmPlan } from "../plan/confirm";
import { previewPurge } from "../plan/preview";

const SIZE: WorldSize = {
  orgs: 10,
  artifacts: 4000,
  driftChecks: 100,
  incidents: 20,
  approvals: 20,
  imageAnalyses: 20,
  memoryItems: 20,
  sceneIterations: 20,
  backups: 800,
  tasks: 20,
  errors: 20,
  prompts: 20,
  holdShare: 0.05,
};
/** About 30% of requests meet a fault: throttled, dropped, or a DeleteObjects with key errors. */
const FAULTS = {
  throttleRate: 0.13,
  dropRate: 0.13,
  partialRequestRate: 0.14,
  partialErrorRate: 0.5,
};
// A month ahead of the wall clock: objects written now are old enough to be orphans.
const NOW = new Date(Date.now() + 30 * 86_400_000);

let s3: Awaited<ReturnType<typeof startS3Server>>;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let t: TestEngine;
const direct = () => testS3Store({ endpoint: s3.endpoint, bucket: "faults" });

beforeAll(async () => {
  s3 = await startS3Server(["faults"], { allowRewrittenBodies: true });
  proxy = await startFaultProxy(s3.endpoint, {}, createRandom(42).next);
  t = await createTestEngine({
    // The SDK retries throttled and dropped requests; keys reported failed are
    // not retried in place, so they are left for the later run.
    store: testS3Store({ endpoint: proxy.endpoint, bucket: "faults", deleteAttempts: 1 }),
    settings: { batchSize: 25 },
    now: () => NOW,
  });
  await seedWorld(t.engine.db, NOW, SIZE);
  await writeRowObjects(t.engine.db, [direct()]);
  const orgs = await t.engine.db.organization.findMany({ select: { id: true } });
  const orphans = orgs.flatMap((o) => [0, 1, 2, 3, 4].map((i) => `orgs/${o.id}/tmp/${i}.bin`));
  await inParallel(orphans, 8, (key) => direct().put(key, "x"));
});
afterAll(async () => {
  await t.close();
  await proxy.stop();
  s3.stop();
});

/** The rows that point at objects, by key. */
async function objectRows() {
  const rows = await t.engine.db.$queryRaw<{ key: string }[]>`
    SELECT object_key AS key FROM artifacts UNION ALL SELECT object_key FROM backups`;
  return new Set(rows.map((r) => r.key));
}

/** Previews without faults (listing is not under test), then executes under `faults`. */
async function purgeUnder(faults: typeof FAULTS | Record<string, never>): Promise<PurgeRun> {
  proxy.setFaults({});
  const scope = { orgIds: null, categories: ["ARTIFACTS", "BACKUPS", "ORPHAN_OBJECTS"] } as const;
  const planId = await previewPurge(t.engine, {
    scope: { orgIds: scope.orgIds, categories: [...scope.categories] },
    trigger: "OPERATOR",
    actor: "system",
  });
  const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
  const acknowledgement = (plan.guardrails as { confirmPhrase: string }).confirmPhrase;
  proxy.setFaults(faults);
  const { runId } = await confirmPlan(t.engine, { planId, actor: "system", acknowledgement });
  const run = await workToEnd(t.engine, runId, 240_000);
  proxy.setFaults({});
  return run;
}

describe("S3 faults at volume never leave a row without its object", () => {
  it("throttling, dropped connections and partial DeleteObjects errors in ~30% of requests", async () => {
    const keysBefore = new Set(await allKeys(direct()));
    const rowsBefore = await objectRows();
    const first = await purgeUnder(FAULTS);
    const c = { ...proxy.counts };
    const faulted = c.throttled + c.dropped + c.partialRequests;

    // Invariant: a row goes only once its object is gone.
    const keysAfter = new Set(await allKeys(direct()));
    const rowsAfter = await objectRows();
    const rowsGone = [...rowsBefore].filter((k) => !rowsAfter.has(k));
    expect(
      rowsGone.filter((k) => keysAfter.has(k)),
      "rows deleted whose object remains",
    ).toEqual([]);
    expect([...rowsAfter].filter((k) => !keysBefore.has(k))).toEqual([]);
    expect(faulted / c.requests).toBeGreaterThan(0.2);
    expect(
      Math.min(c.throttled, c.dropped, c.partialRequests),
      "every kind of fault",
    ).toBeGreaterThan(0);
    expect(first.status).toBe("PARTIAL");
    expect(Number(first.failed)).toBeGreaterThanOrEqual(c.keysFailed);

    // What run 1 reported failed is still there for run 2: every row (its
    // object may be gone, S3 having deleted it but answered an error), and
    // the orphan objects that really are still there.
    const failedIds = await t.engine.db.planItemSetAside.findMany({
      where: { planId: first.planId, state: "FAILED" },
      select: { planItemId: true },
    });
    const failed = await t.engine.db.planItem.findMany({
      where: { id: { in: failedIds.map((f) => f.planItemId) } },
    });
    expect(failed.length).toBe(Number(first.failed));
    const orphansGone = failed.filter(
      (f) => f.category === "ORPHAN_OBJECTS" && !keysAfter.has(f.objectKey ?? ""),
    ).length;

    // A later run, the storage healthy again, finishes the job.
    const later = await purgeUnder({});
    expect(later.status).toBe("SUCCEEDED");
    expect(Number(later.deleted)).toBe(failed.length - orphansGone);
    const keysEnd = new Set(await allKeys(direct()));
    const rowsEnd = await objectRows();
    expect(
      [...rowsEnd].filter((k) => !keysEnd.has(k)),
      "rows whose object is gone",
    ).toEqual([]);
    const firstItems = await t.engine.db.planItem.findMany({ where: { planId: first.planId } });
    for (const item of firstItems) {
      expect(keysEnd.has(item.objectKey ?? ""), `object ${item.objectKey} of a planned item`).toBe(
        false,
      );
    }
    expect(keysEnd.size).toBe(keysBefore.size - firstItems.length);
    console.log(
      `S3 faults at volume: ${firstItems.length} objects to delete (${rowsBefore.size} rows with objects); ` +
        `${c.requests} requests, ${faulted} faulted (${Math.round((100 * faulted) / c.requests)}%): ` +
        `${c.throttled} throttled (503 SlowDown), ${c.dropped} connections dropped, ${c.partialRequests} ` +
        `DeleteObjects with ${c.keysFailed} key errors; run ${first.status}: ${first.deleted} deleted, ` +
        `${first.failed} reported failed (${orphansGone} of them orphans S3 had deleted anyway); ` +
        `later run ${later.status}: ${later.deleted} deleted; no row ever lost its object`,
    );
  });
});
