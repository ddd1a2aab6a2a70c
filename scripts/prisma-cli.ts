import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/**
 * Runs the Prisma CLI with the preload that stops it lingering after it is
 * done (see prisma-cli-preload.cjs). Quiet mode keeps the output and shows it
 * only when the command fails.
 */
export function runPrismaCli(
  args: string[],
  databaseUrl: string,
  options: { quiet?: boolean } = {},
): Promise<void> {
  const preload = path.join(root, "scripts", "prisma-cli-preload.cjs");
  const cli = path.join(root, "node_modules", "prisma", "build", "index.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", preload, cli, ...args], {
      cwd: root,
      stdio: ["ignore", options.quiet ? "pipe" : "inherit", options.quiet ? "pipe" : "inherit"],
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`prisma ${args.join(" ")} exited with ${code}\n${output}`)),
    );
  });
}

/** Applies every committed migration that the database lacks. */
export const migrateDeploy = (
  databaseUrl: string,
  options: { quiet?: boolean } = { quiet: true },
) => runPrismaCli(["migrate", "deploy"], databaseUrl, options);
