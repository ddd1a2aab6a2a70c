import { rm } from "node:fs/promises";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "./embedded-db";
import { migrateDeploy, runPrismaCli } from "./prisma-cli";
import { ROOT } from "./local-stack";
import { runCli } from "./cli";

/**
 * `npm run db:new-migration -- <name>`: writes the migration for the schema's
 * changes against a throwaway embedded database that has every committed
 * migration applied (`migrate dev` refuses to run with pending ones).
 */
async function main() {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name))
    throw new Error("Usage: npm run db:new-migration -- <snake_case_name>");
  const dir = path.join(ROOT, ".lethe", "new-migration");
  await rm(dir, { recursive: true, force: true });
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(dir, "postgres"),
    port: 54500,
  });
  try {
    await ensureDatabase(embedded.serverUrl, "lethe");
    const url = embedded.urlFor("lethe");
    await migrateDeploy(url);
    await runPrismaCli(["migrate", "dev", "--name", name, "--skip-generate"], url, {
      quiet: false,
    });
  } finally {
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runCli(main);
