import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Store } from "@/server/storage/s3-store";
import { builders } from "@/test/builders";
import { TEST_BUCKET } from "@/test/constants";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { startFaultProxy } from "@/test/s3-fault-proxy";
import { S3RVER_CREDENTIALS, startS3Server } from "@/test/s3-server";
import { createRandom } from "@/prisma/seed/random";
import { purge } from "@/test/purge";

let s3: Awaited<ReturnType<typeof startS3Server>>;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let t: TestEngine;
let direct: S3Store;

const storeAt = (endpoint: string, deleteAttempts: number) =>
  new S3Store({
    bucket: TEST_BUCKET,
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    deleteAttempts,
    backoffMs: 5,
  });

beforeAll(async () => {
  s3 = await startS3Server([TEST_BUCKET], { allowRewrittenBodies: true });
  const random = createRandom(42);
  proxy = await startFaultProxy(s3.endpoint, {}, random.next);
  direct = storeAt(s3.endpoint, 5);
  t = await createTestEngine({ store: storeAt(proxy.endpoint, 2), settings: { batchSize: 50 } });
});
afterAll(async () => {
  await t.close();
  await proxy.stop();
  s3.stop();
});

describe("S3 failures never leave a row without its object", () => {
  it("throttling, dropped connections and partial DeleteObjects errors: rows of undeleted objects stay, the run is PARTIAL, a later run finishes", async () => {
    const b = builders(t.engine.db, direct);
    const org = await b.org("FREE");
    const eligible = [];
    for (let i = 0; i < 200; i++)
      eligible.push(await b.artifact(org.id, 40 + i / 10, { bytes: 10 }));
    const young = await b.artifact(org.id, 1);

    proxy.setFaults({ throttleRate: 0.3, dropRate: 0.05, partialErrorRate: 0.5 });
    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] });
    const injected = { ...proxy.counts };
    proxy.setFaults({});
    console.log(
      `S3 faults injected: ${injected.requests} requests, ${injected.throttled} throttled (503 SlowDown), ` +
        `${injected.dropped} connections dropped, ${injected.keysFailed} keys failed in ${injected.deleteRequests} DeleteObjects; ` +
        `run ${run.status}: ${run.deleted} deleted, ${run.failed} left for a later run`,
    );

    expect(injected.throttled + injected.dropped).toBeGreaterThan(0);
    expect(run.status).toBe("PARTIAL");
    expect(Number(run.failed)).toBeGreaterThan(0);
    expect(Number(run.deleted) + Number(run.failed)).toBe(200);
    // Invariant: a row stays exactly when its object stays.
    for (const a of [...eligible, young]) {
      const row = await t.engine.db.artifact.findUnique({ where: { id: a.id } });
      const object = await direct.head(a.objectKey);
      expect(Boolean(row), `artifact ${a.id}`).toBe(Boolean(object));
    }
    expect(await t.engine.db.artifact.count({ where: { orgId: org.id } })).toBe(
      1 + Number(run.failed),
    );

    const later = await purge(t.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] });
    expect(later.run.status).toBe("SUCCEEDED");
    expect(later.run.deleted).toBe(run.failed);
    const left = await t.engine.db.artifact.findMany({ where: { orgId: org.id } });
    expect(left.map((a) => a.id)).toEqual([young.id]);
  });
});
