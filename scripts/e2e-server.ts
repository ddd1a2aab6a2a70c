import { spawn, spawnSync } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { seed } from "../prisma/seed";
import { prepareLocalStack, ROOT } from "./local-stack";

/**
 * The app as the browser tests see it: the embedded default with fresh demo
 * data (a state folder of its own, wiped first), a production build, `next start`.
 */
async function main() {
  const port = Number(process.env.PORT ?? 3100);
  const stateDir = path.join(ROOT, ".lethe", "e2e");
  await rm(stateDir, { recursive: true, force: true });
  const stack = await prepareLocalStack({ stateDir, port, pgPort: 54400 });
  await seed({ env: stack.env });
  // The browser tests check the database and storage behind the pages.
  await writeFile(
    path.join(stateDir, "stack.json"),
    JSON.stringify({ ...stack.env, OWNER_DATABASE_URL: stack.ownerUrl }),
  );
  // `next start` is production, where local storage must be chosen explicitly.
  const env = { ...process.env, ...stack.env, STORAGE: "local", NEXT_TELEMETRY_DISABLED: "1" };
  const next = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  if (!process.env.E2E_SKIP_BUILD) {
    const build = spawnSync(process.execPath, [next, "build"], {
      cwd: ROOT,
      stdio: "inherit",
      env,
    });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const server = spawn(process.execPath, [next, "start", "-p", String(port)], {
    cwd: ROOT,
    stdio: "inherit",
    env,
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", async (code) => {
    await stack.embedded?.stop();
    process.exit(code ?? 0);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
