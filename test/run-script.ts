import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * A script of this repository run as `npm run` runs it (through tsx, from
 * the repository's folder, stdin not a terminal), with nothing in its
 * environment but PATH, HOME and `env`; an entry of `env` set to undefined
 * is left out. Its exit code and output.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 120_000,
) {
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...env,
  }))
    if (value !== undefined) childEnv[key] = value;
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), script, ...args],
    {
      cwd: ROOT,
      env: childEnv as NodeJS.ProcessEnv,
      input: "",
      encoding: "utf8",
      timeout: timeoutMs,
    },
  );
  return { code: run.status, out: run.stdout, err: run.stderr };
}
