import { execFile } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { createDb } from "../server/db";
import { requestExport } from "../server/retention/exports/exports";
import { LocalStore } from "../server/storage/local-store";
import { S3Store } from "../server/storage/s3-store";
import type { ObjectStore } from "../server/storage";
import { migrateDatabase } from "../scripts/migrate-database";
import { S3RVER_CREDENTIALS, startS3Server } from "../test/s3-server";
import { BENCH_DB, dropDatabase, openBenchServer, withClient } from "./lib/bench-db";
import { benchEngine } from "./lib/engine";
import { archiveDigests, archiveFile } from "./lib/export-check";
import type { ExportWorkerReport, WorkerStore } from "./lib/export-worker";
import { bytes, count, header, mb, ms, numericFlags, timed, verdict } from "./lib/report";
import { runCli } from "../scripts/cli";

const WORKER = path.resolve(import.meta.dirname, "lib", "export-worker.ts");
const BUCKET = "lethe-bench-export";
const DAY = 86_400_000;

/** Runs `fn` over `items`, `width` at a time. */
async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/**
 * A FREE org whose artifacts are 40 days old (all due), `objects` objects
 * of random bytes of `objectBytes` each, plus 10,000 error rows due too; the
 * source digest of every object, by key.
 */
async function seed(url: string, store: ObjectStore, objects: number, objectBytes: number) {
  const db = createDb(url, { maxConnections: 4 });
  const created = new Date(Date.now() - 40 * DAY);
  const org = await db.organization.create({
    data: { name: "Export bench", slug: "export-bench", plan: "FREE" },
  });
  const keys = Array.from({ length: objects }, (_, i) => `orgs/${org.id}/artifacts/${i}.bin`);
  await db.artifact.createMany({
    data: keys.map((objectKey, i) => ({
      orgId: org.id,
      kind: "VIDEO_CLIP" as const,
      title: `clip ${i}`,
      objectKey,
      bytes: BigInt(objectBytes),
      createdAt: created,
    })),
  });
  await db.capturedError.createMany({
    data: Array.from({ length: 10_000 }, (_, i) => ({
      orgId: org.id,
      fingerprint: `f${i}`,
      message: `error ${i}`,
      createdAt: created,
      resolvedAt: created,
    })),
  });
  await db.$disconnect();
  const source = new Map<string, string>();
  await inParallel(keys, 4, async (key) => {
    const body = randomFillSync(Buffer.allocUnsafe(objectBytes));
    source.set(key, createHash("sha256").update(body).digest("hex"));
    await store.put(key, body);
  });
  return { orgId: org.id, source };
}

type Manifest = {
  counts: Record<string, { rows: number; objects: number }>;
  files: { path: string; bytes: number; sha256: string; objectKey?: string }[];
};

/**
 * `npm run bench:export`: an org with --gb GB of objects (--object-mb MB
 * each) in the S3-compatible test server (--local 1: the local folder),
 * exported by a worker process of its own as `npm run worker` builds
 * exports: throughput and the worker's peak RSS, then every file of the
 * archive checked against the manifest and the source, byte for byte by
 * SHA-256.
 */
async function main() {
  const flags = numericFlags({ gb: 1, "object-mb": 4, local: 0, keep: 0 });
  const objectBytes = Math.round(flags["object-mb"] * 2 ** 20);
  const objects = Math.max(1, Math.round((flags.gb * 2 ** 30) / objectBytes));
  const server = await openBenchServer({ dataDir: "postgres-export", port: 55900 });
  const database = `${BENCH_DB}_export`;
  const folder = await mkdtemp(path.join(os.tmpdir(), "lethe-bench-export-"));
  const s3 = flags.local ? null : await startS3Server([BUCKET]);
  const where: WorkerStore = s3
    ? {
        s3: {
          bucket: BUCKET,
          region: "us-east-1",
          endpoint: s3.endpoint,
          forcePathStyle: true,
          credentials: S3RVER_CREDENTIALS,
        },
      }
    : { local: path.join(folder, "store") };
  const store = "s3" in where ? new S3Store(where.s3) : new LocalStore(where.local);
  try {
    header(
      `bench:export — an org's ${bytes(BigInt(objects * objectBytes))} of objects exported (${s3 ? "S3 test server" : "local folder"})`,
      server.where,
    );
    await dropDatabase(server.serverUrl, database);
    await withClient(server.serverUrl, (c) => c.query(`CREATE DATABASE ${database}`));
    const url = server.urlFor(database);
    await migrateDatabase({ ownerUrl: url });
    const seeded = await timed(() => seed(url, store, objects, objectBytes));
    const { orgId, source } = seeded.value;
    console.log(
      `  seeded ${count(objects)} objects of ${bytes(BigInt(objectBytes))} and 10,000 error rows in ${ms(seeded.ms)}`,
    );
    const { engine, close } = await benchEngine(url, { store });
    let exportId = 0;
    try {
      const admin = await engine.db.user.create({
        data: { email: "bench@lethe.test", name: "Bench", role: "ADMIN" },
      });
      exportId = (
        await requestExport(engine, {
          orgId,
          categories: ["ARTIFACTS", "ERRORS"],
          withinDays: 7,
          requestedBy: admin,
        })
      ).id;
    } finally {
      await close();
    }
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", WORKER, url, JSON.stringify(where)],
      { maxBuffer: 1 << 20 },
    );
    const report = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as ExportWorkerReport;
    const row = await withClient(url, async (c) => {
      const { rows } = await c.query<{
        status: string;
        object_key: string;
        bytes: string;
        bytes_total: string;
        sha256: string;
        error: string | null;
      }>(
        `SELECT status, object_key, bytes, bytes_total, sha256, error FROM exports WHERE id = $1`,
        [exportId],
      );
      return rows[0];
    });
    if (row?.status !== "READY") throw new Error(`The export is ${row?.status}: ${row?.error}`);
    const throughput = Number(row.bytes_total) / 2 ** 20 / (report.ms / 1000);
    console.log(
      `  export ${exportId}: zip ${bytes(BigInt(row.bytes))} built in ${ms(report.ms)} ` +
        `(worker CPU ${ms(report.cpuMs)}), ${throughput.toFixed(1)} MB/s of objects`,
    );
    console.log(
      `  the worker idle, engine started: ${mb(report.idleRss)} peak RSS; while building, ` +
        `at most ${mb(report.heapUsed)} of JavaScript heap and ${mb(report.arrayBuffers)} in Buffers`,
    );
    verdict(
      "peak RSS of the worker that built it",
      mb(report.peakRss),
      "≤ 250 MB",
      report.peakRss <= 250 * 2 ** 20,
    );

    const file = path.join(folder, "export.zip");
    const body = await store.read(row.object_key);
    if (!body) throw new Error("The export is not in the store");
    await pipeline(body, createWriteStream(file));
    const whole = createHash("sha256");
    for await (const chunk of createReadStream(file)) whole.update(chunk as Buffer);
    const entries = await archiveDigests(file);
    const manifest = JSON.parse(
      (await archiveFile(file, "manifest.json"))?.toString("utf8") ?? "null",
    ) as Manifest;
    const problems: string[] = [];
    if (whole.digest("hex") !== row.sha256) problems.push("the archive's SHA-256 is not the row's");
    for (const f of manifest.files) {
      const e = entries.get(f.path);
      if (!e || e.bytes !== f.bytes || e.sha256 !== f.sha256)
        problems.push(`${f.path}: not as the manifest says`);
      if (f.objectKey && source.get(f.objectKey) !== f.sha256)
        problems.push(`${f.path}: not the source object's bytes`);
    }
    const exported = new Set(manifest.files.flatMap((f) => (f.objectKey ? [f.objectKey] : [])));
    const lost = [...source.keys()].filter((k) => !exported.has(k));
    if (lost.length > 0) problems.push(`${lost.length} source objects missing from the archive`);
    if (manifest.counts.ERRORS?.rows !== 10_000) problems.push("error rows are not all there");
    if (entries.size !== manifest.files.length + 1)
      problems.push("the archive holds files the manifest does not list");
    verdict(
      "archive checked against manifest and source (every file's bytes and SHA-256)",
      problems.length === 0
        ? `${count(manifest.files.length)} files agree`
        : problems.slice(0, 5).join("; "),
      "all agree",
      problems.length === 0,
    );
  } finally {
    s3?.stop();
    if (!flags.keep) await dropDatabase(server.serverUrl, database);
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

runCli(main);
