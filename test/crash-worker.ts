import { spawn } from "node:child_process";
import path from "node:path";

export type WorkerSettings = {
  databaseUrl: string;
  s3Endpoint: string;
  bucket?: string;
  batchSize: number;
  leaseSeconds: number;
  /** The engine's clock, as the test's engine has it. */
  now: Date;
  /** Planning steps' sizes (EngineSettings). */
  planStepOrgs?: number;
  planStepItems?: number;
  /** Work as cron deliveries of this budget instead of a worker's drain. */
  cronBudgetMs?: number;
  /** Only finally delete kept items past their window, for this run. */
  finalRunId?: string;
  /** PRODUCT.md's restore windows instead of none (what the test's engine planned with). */
  restoreWindows?: "product";
  /** Its cron deliveries also write and send the day's notices (the test channels). */
  notices?: boolean;
};

const FIXTURE = path.resolve(import.meta.dirname, "fixtures", "purge-worker.ts");

/**
 * Starts a purge worker in a process of its own (test/fixtures/purge-worker.ts)
 * and kills it with SIGKILL as soon as `killWhen` resolves after it is ready:
 * inside a batch, between batches, mid-request, mid-commit. Resolves once the
 * process is dead; rejects if it died any other way.
 */
export function workThenDie(settings: WorkerSettings, killWhen: () => Promise<void>) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
      env: {
        ...process.env,
        DATABASE_URL: settings.databaseUrl,
        S3_ENDPOINT: settings.s3Endpoint,
        ...(settings.bucket ? { S3_BUCKET: settings.bucket } : {}),
        BATCH_SIZE: String(settings.batchSize),
        LEASE_SECONDS: String(settings.leaseSeconds),
        ENGINE_NOW: settings.now.toISOString(),
        ...(settings.planStepOrgs ? { PLAN_STEP_ORGS: String(settings.planStepOrgs) } : {}),
        ...(settings.planStepItems ? { PLAN_STEP_ITEMS: String(settings.planStepItems) } : {}),
        ...(settings.cronBudgetMs ? { CRON_BUDGET_MS: String(settings.cronBudgetMs) } : {}),
        ...(settings.finalRunId ? { FINAL_RUN_ID: settings.finalRunId } : {}),
        ...(settings.restoreWindows ? { RESTORE_WINDOWS: settings.restoreWindows } : {}),
        ...(settings.notices ? { NOTICES: "1" } : {}),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout.on("data", (chunk: Buffer) => {
      if (!chunk.toString().includes("ready")) return;
      killWhen().then(
        () => child.kill("SIGKILL"),
        (error: unknown) => {
          child.kill("SIGKILL");
          reject(error);
        },
      );
    });
    child.on("exit", (_code, signal) =>
      signal === "SIGKILL" ? resolve() : reject(new Error(`worker exited on its own (${signal})`)),
    );
  });
}
