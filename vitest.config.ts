import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts"],
    // The fault suite's slow files run with `npm run test:faults` (vitest.faults.config.ts).
    exclude: ["node_modules", ".next", "e2e", ".lethe", "**/*.fault.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Each file gets its own database from a migrated template, so files
    // run in parallel without sharing any mutable state.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
