import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { createDb } from "../../server/db";
import { createLog, logOptionsFromEnv } from "../../server/log";
import type { RetentionCategory } from "../../server/generated/prisma/enums";
import { confirmPlan } from "../../server/retention/plan/confirm";
import { drain } from "../../server/retention/run/worker";
import { DEFAULT_SETTINGS, type Engine, type EngineSettings } from "../../server/retention/deps";
import type { Guardrails } from "../../server/retention/plan/guardrails";
import { requestPreview } from "../../server/retention/plan/preview";
import { planNow } from "../../server/retention/plan/step-runner";
import { startPurgeQueue } from "../../server/retention/run/queue";
import type { ObjectStore } from "../../server/storage";
import { LocalStore } from "../../server/storage/local-store";

export type BenchEngine = { engine: Engine; close: () => Promise<void> };

/**
 * Logs as production does (info, JSON), so a bench pays what logging
 * costs, but out of sight; on stderr at LOG_LEVEL when it is set.
 */
const benchLog = () =>
  process.env.LOG_LEVEL
    ? createLog({ ...logOptionsFromEnv(), format: "json", destination: pino.destination(2) })
    : createLog({ level: "info", destination: pino.destination("/dev/null") });

/**
 * The engine as the app builds it (pool, pg-boss queue, settings), on the
 * bench database. Without a store, an empty local folder: orphan sweeping
 * lists it and finds nothing, as the DB-only benches want.
 */
export async function benchEngine(
  url: string,
  options: { store?: ObjectStore; settings?: Partial<EngineSettings>; connections?: number } = {},
): Promise<BenchEngine> {
  const settings: EngineSettings = { ...DEFAULT_SETTINGS, policy: {}, ...options.settings };
  const db = createDb(url, { maxConnections: options.connections ?? 10 });
  const log = benchLog();
  const queue = await startPurgeQueue(url, {
    leaseSeconds: settings.leaseSeconds,
    retryLimit: settings.maxTaskAttempts,
    log,
  });
  const store =
    options.store ?? new LocalStore(await mkdtemp(path.join(os.tmpdir(), "lethe-bench-empty-")));
  const engine: Engine = {
    db,
    databaseUrl: url,
    store,
    queue,
    settings,
    workerId: `bench-${randomBytes(3).toString("hex")}`,
    now: () => new Date(),
    log,
  };
  return {
    engine,
    close: async () => {
      await queue.stop();
      await db.$disconnect();
    },
  };
}

/**
 * A dry run of `scope` by the system actor, as the daily purge makes it;
 * returns the plan id. A scope planned in steps has them worked by
 * `workers` loops side by side, each with its own lease identity, as that
 * many `npm run worker` processes would take them from the queue.
 */
export async function preview(
  engine: Engine,
  scope: { orgIds: number[] | null; categories: RetentionCategory[] | null; asOf?: Date },
  workers = 1,
) {
  const { planId, planning } = await requestPreview(engine, {
    scope,
    trigger: "OPERATOR",
    actor: "system",
  });
  if (planning)
    await Promise.all(
      Array.from({ length: Math.max(1, workers) }, (_, i) =>
        planNow({ ...engine, workerId: `${engine.workerId}-${i}` }, planId),
      ),
    );
  return planId;
}

/** Confirms a plan (acknowledging its guardrails, as an operator would) and returns the run id. */
export async function confirm(engine: Engine, planId: string) {
  const plan = await engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
  const guardrails = plan.guardrails as unknown as Guardrails;
  const { runId } = await confirmPlan(engine, {
    planId,
    actor: "system",
    acknowledgement: guardrails.confirmPhrase,
  });
  return runId;
}

/**
 * Works the run to its end with `workers` drain loops side by side, as that
 * many `npm run worker` processes would; each has its own lease identity.
 */
export async function workRun(engine: Engine, runId: string, workers = 1) {
  const loop = async (workerId: string) => {
    const worker = { ...engine, workerId };
    for (;;) {
      const run = await engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
      if (run.status !== "RUNNING") return run;
      const report = await drain(worker, Date.now() + 60_000);
      if (report.jobsWorked === 0) await new Promise((r) => setTimeout(r, 100));
    }
  };
  const runs = await Promise.all(
    Array.from({ length: workers }, (_, i) => loop(`${engine.workerId}-${i}`)),
  );
  return runs[0];
}

/** Removes the bench's plans (their manifests and entries go with them), keeping the dataset as seeded. */
export async function dropPlans(engine: Engine, planIds: string[]) {
  await engine.db.purgePlan.deleteMany({ where: { id: { in: planIds }, run: null } });
}
