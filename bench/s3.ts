import { DeleteObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createDb, type Db } from "../server/db";
import { S3Store } from "../server/storage/s3-store";
import { migrateDatabase } from "../scripts/migrate-database";
import { startFaultProxy } from "../test/s3-fault-proxy";
import { S3RVER_CREDENTIALS, startS3Server } from "../test/s3-server";
import { BENCH_DB, dropDatabase, openBenchServer, withClient } from "./lib/bench-db";
import { benchEngine, confirm, preview, workRun } from "./lib/engine";
import { count, header, ms, numericFlags, timed, verdict } from "./lib/report";
import { runCli } from "../scripts/cli";

const BUCKET = "lethe-bench";
const PER_ORG = 1000;

const s3Config = (endpoint: string) => ({
  bucket: BUCKET,
  region: "us-east-1",
  endpoint,
  forcePathStyle: true,
  credentials: S3RVER_CREDENTIALS,
});

/** Runs `fn` over `items`, `width` at a time. */
async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** FREE orgs whose artifacts are a year old: every one of them is past its 30-day window. */
async function seedArtifacts(db: Db, objects: number) {
  const orgIds: number[] = [];
  const keys: string[] = [];
  const created = new Date(Date.now() - 400 * 86_400_000);
  for (let o = 0; o * PER_ORG < objects; o++) {
    const org = await db.organization.create({
      data: { name: `S3 bench ${o}`, slug: `s3-bench-${o}`, plan: "FREE" },
    });
    orgIds.push(org.id);
    const rows = Array.from({ length: Math.min(PER_ORG, objects - o * PER_ORG) }, (_, i) => ({
      orgId: org.id,
      kind: "VIDEO_CLIP" as const,
      title: `clip ${i}`,
      objectKey: `orgs/${org.id}/artifacts/${i}.bin`,
      bytes: 16n,
      createdAt: created,
    }));
    await db.artifact.createMany({ data: rows });
    keys.push(...rows.map((r) => r.objectKey));
  }
  return { orgIds, keys };
}

/**
 * `npm run bench:s3`: purging artifact objects on s3rver through the engine
 * (one DeleteObjects per batch of 1000) against one DeleteObject per key,
 * both through a proxy that adds --latency ms to every S3 request. s3rver
 * deletes files one by one, so the figures compare request strategies
 * under latency, not S3's own speed. The one-by-one way runs on
 * --naive-objects keys (at ~40 objects/s, 20,000 would take ~8 minutes).
 */
async function main() {
  const flags = numericFlags({ objects: 20_000, "naive-objects": 2_000, latency: 20, workers: 2 });
  // Its own small server: this bench needs none of the scale dataset.
  const server = await openBenchServer({ dataDir: "postgres-s3", port: 55800 });
  const database = `${BENCH_DB}_s3`;
  const s3 = await startS3Server([BUCKET]);
  const proxy = await startFaultProxy(s3.endpoint, { latencyMs: flags.latency });
  try {
    header(
      `bench:s3 — purging objects with ${flags.latency} ms added to every S3 request`,
      server.where,
    );
    await dropDatabase(server.serverUrl, database);
    await withClient(server.serverUrl, (c) => c.query(`CREATE DATABASE ${database}`));
    const url = server.urlFor(database);
    await migrateDatabase({ ownerUrl: url });
    const db = createDb(url, { maxConnections: 2 });
    const { orgIds, keys } = await seedArtifacts(db, flags.objects);
    await db.$disconnect();
    const naiveKeys = Array.from({ length: flags["naive-objects"] }, (_, i) => `naive/${i}.bin`);
    const direct = new S3Store(s3Config(s3.endpoint));
    // s3rver removes a folder once a delete empties it, and the concurrent
    // deletes of one DeleteObjects race to do so (HTTP 500, which the SDK
    // retries): a kept object per folder spares S3 a quirk it does not have.
    const keepers = orgIds.map((id) => `orgs/${id}/artifacts/.keep`);
    await inParallel([...keys, ...naiveKeys, ...keepers], 32, (key) =>
      direct.put(key, "sixteen bytes!!!"),
    );
    console.log(
      `  ${count(keys.length)} artifact rows and objects, ${count(naiveKeys.length)} more objects for the one-by-one way`,
    );

    const { engine, close } = await benchEngine(url, {
      store: new S3Store(s3Config(proxy.endpoint)),
    });
    let deleted = 0;
    const before = proxy.counts.requests;
    const purge = await timed(async () => {
      const planId = await preview(engine, { orgIds, categories: ["ARTIFACTS"] });
      const run = await workRun(engine, await confirm(engine, planId), flags.workers);
      deleted = Number(run?.deleted ?? 0);
    }).finally(close);
    const engineRequests = proxy.counts.requests - before;
    const left = (await direct.list("orgs/", { limit: 1000 })).objects.length - keepers.length;
    console.log(
      `  engine: ${count(deleted)} objects and rows in ${ms(purge.ms)} (dry run included), ${engineRequests} S3 requests, ${left} objects left`,
    );

    const client = new S3Client({
      region: "us-east-1",
      endpoint: proxy.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
    const naiveBefore = proxy.counts.requests;
    const naive = await timed(async () => {
      for (const key of naiveKeys)
        await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    });
    const naiveRequests = proxy.counts.requests - naiveBefore;
    console.log(
      `  one by one: ${count(naiveKeys.length)} objects in ${ms(naive.ms)}, ${naiveRequests} S3 requests\n`,
    );

    const perThousand = (engineRequests / Math.max(1, deleted)) * 1000;
    const engineRate = (deleted / purge.ms) * 1000;
    const naiveRate = (naiveKeys.length / naive.ms) * 1000;
    verdict(
      "engine S3 requests per 1,000 objects",
      perThousand.toFixed(2),
      "≤ 1.05",
      perThousand <= 1.05,
    );
    console.log(
      `  one-by-one S3 requests per 1,000 objects: ${((naiveRequests / naiveKeys.length) * 1000).toFixed(0)}`,
    );
    console.log(
      `  objects/s: engine ${count(Math.round(engineRate))}, one by one ${count(Math.round(naiveRate))}`,
    );
    verdict(
      "engine / one-by-one objects/s",
      `${(engineRate / naiveRate).toFixed(1)}×`,
      "≥ 25×",
      engineRate / naiveRate >= 25,
    );
  } finally {
    await proxy.stop();
    s3.stop();
    await dropDatabase(server.serverUrl, database);
    await server.stop();
  }
}

runCli(main);
