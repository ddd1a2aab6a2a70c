import { spawn } from "node:child_process";
import path from "node:path";
import { seed } from "../prisma/seed";
import { DEMO_USERS } from "../prisma/seed/users";
import { prepareLocalStack, ROOT } from "./local-stack";

/**
 * `npm run dev`: the embedded default (or DATABASE_URL), migrations, demo
 * data once, then `next dev`. Ctrl-C stops Next, then Postgres, cleanly.
 */
async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const stack = await prepareLocalStack({
    stateDir: ".lethe",
    port,
    pgPort: Number(process.env.LETHE_PG_PORT ?? 54329),
  });
  await seed({ env: stack.env });

  console.log(`
  Lethe is starting on http://localhost:${port}
  Database: ${stack.embedded ? "embedded PostgreSQL (.lethe/postgres)" : "DATABASE_URL"}
  Storage:  ${process.env.S3_BUCKET ? `S3 bucket ${process.env.S3_BUCKET}` : stack.env.STORAGE_DIR}

  Sign in with:
${DEMO_USERS.map((u) => `    ${u.role.padEnd(8)}  ${u.email.padEnd(20)}  password: ${u.password}`).join("\n")}

  Daily purge by hand: curl -H "Authorization: Bearer ${stack.env.CRON_SECRET}" http://localhost:${port}/api/cron/retention
`);

  const next = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "dev", "-p", String(port)],
    {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    },
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    next.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  next.on("exit", async (code) => {
    await stack.embedded?.stop();
    process.exit(code ?? 0);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
