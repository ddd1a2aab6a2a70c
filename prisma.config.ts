import { defineConfig } from "prisma/config";
import { migrationAdapter } from "./prisma/migration-adapter";

// Prisma 6.19 without any native engine: the wasm schema engine runs
// migrations through the pg driver adapter (no binary download).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: migrationAdapter,
});
