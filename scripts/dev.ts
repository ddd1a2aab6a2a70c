import path from "node:path";
import { recordDevDatabase } from "./dev-database";
import { seedForDev, signInHelp } from "./dev-accounts";
import { runAppThenDatabase } from "./dev-app";
import { prepareLocalStack, ROOT } from "./local-stack";
import { runCli } from "./cli";

/** A path inside the checkout relative to it; one outside (moved for the postgres account) whole. */
const shortPath = (dir: string) =>
  dir.startsWith(ROOT + path.sep) ? path.relative(ROOT, dir) : dir;

/**
 * `npm run dev`: the embedded default (or DATABASE_URL), migrations, then
 * `next dev`. The demo (its data and its logins) goes only into the
 * embedded database, or with `--demo` into an empty one; any other database
 * gets no user and no data. Ctrl-C stops Next (every process of it), then
 * Postgres, cleanly.
 */
async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const stack = await prepareLocalStack({
    stateDir: ".lethe",
    port,
    pgPort: Number(process.env.LETHE_PG_PORT ?? 54329),
  });
  const embedded = stack.embedded !== null;
  const databaseUrl = stack.env.DATABASE_URL ?? "";
  try {
    await seedForDev({ env: stack.env, embedded, argv: process.argv.slice(2) });
  } catch (error) {
    await stack.embedded?.stop();
    throw error;
  }
  const forgetDatabase = embedded ? recordDevDatabase(databaseUrl) : () => {};

  console.log(`
  Lethe is starting on http://localhost:${port}
  Database: ${stack.embedded ? `embedded PostgreSQL (${shortPath(stack.embedded.dataDir)})` : "DATABASE_URL (no demo data or logins unless --demo)"}
  Storage:  ${process.env.S3_BUCKET ? `S3 bucket ${process.env.S3_BUCKET}` : stack.env.STORAGE_DIR}
  Notice emails: ${process.env.SMTP_URL ? "sent over SMTP_URL" : "logged, not sent (SMTP_URL is not set)"}

${await signInHelp(databaseUrl, embedded)}

  Daily purge by hand: curl -H "Authorization: Bearer ${stack.env.CRON_SECRET}" http://localhost:${port}/api/cron/retention
`);

  const next = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  const code = await runAppThenDatabase(
    process.execPath,
    [next, "dev", "-p", String(port)],
    { cwd: ROOT, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } },
    async () => {
      forgetDatabase();
      await stack.embedded?.stop();
    },
  );
  process.exit(code);
}

runCli(main);
