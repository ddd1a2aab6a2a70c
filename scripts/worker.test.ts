import { describe, expect, it } from "vitest";
import { runScript } from "@/test/run-script";

/** `npm run worker` as an operator starts it, with only `env` set (NODE_ENV left out when undefined). */
const startWorker = (env: Record<string, string | undefined>) =>
  runScript("scripts/worker.ts", [], env, 30_000);

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
    expect(worker.code).toBe(1);
    expect(worker.err).toMatch(
      /^Lethe refuses to start the worker:\n {2}- Storage is not configured: set S3_BUCKET .*, or STORAGE=local and STORAGE_DIR/,
    );
  });
});
