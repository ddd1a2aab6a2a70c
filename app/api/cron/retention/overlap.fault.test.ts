import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDailyPurge } from "@/server/retention/run/daily";
import { cronEnv } from "@/test/cron";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { startFaultProxy } from "@/test/s3-fault-proxy";
import { startS3Server } from "@/test/s3-server";
import { seedWorld, writeRowObjects, type WorldSize } from "@/test/scale-world";
import { testS3Store } from "@/test/storage";
import { runEvidence, worldState } from "@/test/world-state";

const SECRET = randomBytes(24).toString("hex");
const WAVE = 10;
const SIZE: WorldSize = {
  orgs: 8,
  artifacts: 1500,
  driftChecks: 600,
  incidents: 80,
  approvals: 80,
  imageAnalyses: 100,
  memoryItems: 100,
  sceneIterations: 100,
  backups: 200,
  tasks: 100,
  errors: 100,
  prompts: 100,
  holdShare: 0.05,
};

let s3: Awaited<ReturnType<typeof startS3Server>>;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let cron: TestDatabase;
let control: TestEngine;
let GET: (request: Request) => Promise<Response>;

beforeAll(async () => {
  s3 = await startS3Server(["cron", "control"]);
  // Latency on every S3 request keeps the first wave busy while the second arrives.
  proxy = await startFaultProxy(s3.endpoint, { latencyMs: 20 });
  const pristine = await createTestDatabase();
  await seedWorld(pristine.db, new Date(), SIZE);
  await pristine.db.$disconnect();
  cron = await createTestDatabase({ template: pristine.name });
  const twin = await createTestDatabase({ template: pristine.name });
  await pristine.drop();
  const controlStore = testS3Store({ endpoint: s3.endpoint, bucket: "control" });
  await writeRowObjects(cron.db, [
    testS3Store({ endpoint: s3.endpoint, bucket: "cron" }),
    controlStore,
  ]);
  control = await createTestEngine({
    database: twin,
    store: controlStore,
    settings: { batchSize: 50 },
    now: () => new Date(),
    // The route's engine has PRODUCT.md's restore windows, as in production.
    restoreWindows: "product",
  });
  // The route reads the process environment, as it does on Vercel.
  Object.assign(process.env, {
    ...cronEnv(cron.url, SECRET, { bucket: "cron", endpoint: proxy.endpoint }),
    CRON_MAX_DURATION_SECONDS: "120",
    PURGE_BATCH_SIZE: "50",
  });
  ({ GET } = await import("./route"));
});
afterAll(async () => {
  const { appEngine } = await import("@/server/app-engine");
  await (await appEngine()).queue.stop();
  await control.close();
  await control.database.drop();
  await cron.drop();
  await proxy.stop();
  s3.stop();
});

type CronAnswer = {
  day: string;
  joined: boolean;
  progress: { id: string; status: string } | null;
  planning: { status: string } | null;
};

describe("duplicate and overlapping cron deliveries", () => {
  it(`${WAVE} concurrent deliveries, then ${WAVE} more while they run: one run, totals of a single run`, async () => {
    const started = Date.now();
    const controlRun = await runDailyPurge(control.engine, Date.now() + 60_000);
    await workToEnd(control.engine, controlRun.progress?.id ?? "");
    const expected = {
      ...(await worldState(control.engine.db, control.engine.store)),
      evidence: await runEvidence(control.engine.db, controlRun.progress?.id ?? ""),
    };
    const controlMs = Date.now() - started;

    let answered = 0;
    const deliver = () =>
      GET(
        new Request("http://localhost/api/cron/retention", {
          headers: { authorization: `Bearer ${SECRET}` },
        }),
      ).then(async (response) => {
        answered++;
        return { status: response.status, body: (await response.json()) as CronAnswer };
      });
    const first = Array.from({ length: WAVE }, deliver);
    // The second wave comes once the first is deleting, before any of it has answered.
    while ((await cron.db.manifestBatch.count()) === 0) await new Promise((r) => setTimeout(r, 10));
    const [runBetween] = await cron.db.purgeRun.findMany();
    const answeredBeforeSecondWave = answered;
    const second = Array.from({ length: WAVE }, deliver);
    const answers = await Promise.all([...first, ...second]);

    expect(runBetween?.status, "the first wave was still working").toBe("RUNNING");
    // A worker takes several tasks at once, so deliveries that found the
    // queue already emptied by the others answer at once; the rest still work.
    expect(
      answeredBeforeSecondWave,
      "deliveries of the first wave were still working",
    ).toBeLessThan(WAVE);
    expect(answers.map((a) => a.status)).toEqual(Array(2 * WAVE).fill(200));
    // A delivery that found every planning step in another's hands answers with the day's plan as it was.
    expect(
      answers.every((a) => a.body.progress?.id === runBetween?.id || a.body.planning !== null),
    ).toBe(true);
    expect(answers.filter((a) => !a.body.joined)).toHaveLength(1);
    expect(await cron.db.purgeRun.count()).toBe(1);
    expect(await cron.db.purgePlan.count(), "one dry run planned the fleet").toBe(1);
    const audit = (action: string) => cron.db.auditEntry.count({ where: { action } });
    expect(await audit("purge.confirmed")).toBe(1);
    expect(await audit("purge.finished")).toBe(1);

    const got = {
      ...(await worldState(cron.db, testS3Store({ endpoint: s3.endpoint, bucket: "cron" }))),
      evidence: await runEvidence(cron.db, runBetween?.id ?? ""),
    };
    expect(got.evidence.status).toBe("SUCCEEDED");
    expect(got.dangling).toEqual([]);
    expect(got.rows).toEqual(expected.rows);
    expect(got.objects).toEqual(expected.objects);
    expect(got.evidence).toEqual(expected.evidence);
    console.log(
      `overlapping cron: ${2 * WAVE} deliveries to GET /api/cron/retention (${WAVE} at once, ${WAVE} more ` +
        `while the run was deleting, ${WAVE - answeredBeforeSecondWave} of the first still working): 1 run, 1 plan, ` +
        `${answers.filter((a) => a.body.joined).length} joined it; ` +
        `${got.evidence.deleted} items and ${got.evidence.bytesFreed} bytes freed, equal to a single ` +
        `uninterrupted run (${controlMs} ms)`,
    );
  });
});
