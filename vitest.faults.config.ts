import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * The fault suite (`npm run test:faults`): crashes, overlapping cron, S3 and
 * database faults, the authorization matrix, property-based bad input and
 * the oracle at scale. Minutes, not seconds, so `npm test` leaves it out.
 * Same harness as vitest.config.ts: one database per file from a template.
 */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.fault.test.ts"],
    exclude: ["node_modules", ".next", "e2e", ".lethe"],
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    // Two files at a time even on two cores: much of the suite waits on
    // leases, latency and child processes rather than computing.
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
