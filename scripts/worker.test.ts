import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const WORKER = path.resolve(import.meta.dirname, "worker.ts");

/** `npm run worker` as an operator starts it, with only `env` set (NODE_ENV left out when undefined). */
function startWorker(
  env: { NODE_ENV: "production" | undefined } & Record<string, string | undefined>,
) {
  const { PATH, HOME } = process.env;
  const childEnv: NodeJS.ProcessEnv = {
    PATH,
    HOME,
    ...env,
    NODE_ENV: env.NODE_ENV ?? "production",
  };
  if (env.NODE_ENV === undefined) Reflect.deleteProperty(childEnv, "NODE_ENV");
  return spawnSync(process.execPath, ["--import", "tsx", WORKER], {
    env: childEnv,
    encoding: "utf8",
    timeout: 30_000,
  });
}

describe("npm run worker in production", () => {
  it.each<[string, "production" | undefined]>([
    ["with NODE_ENV=production", "production"],
    ["without NODE_ENV, as the README starts it", undefined],
  ])("refuses to start without storage configured, naming what to set (%s)", (_, nodeEnv) => {
    const worker = startWorker({
      NODE_ENV: nodeEnv,
      // Nothing listens there: a worker that got past its checks would fail differently.
      DATABASE_URL: "postgres://lethe:secret@127.0.0.1:9/lethe",
      NEXTAUTH_SECRET: "x".repeat(32),
    });
    expect(worker.status).toBe(1);
    expect(worker.stderr).toMatch(
      /^Lethe refuses to start the worker:\n {2}- Storage is not configured: set S3_BUCKET .*, or STORAGE=local and STORAGE_DIR/,
    );
  });
});
