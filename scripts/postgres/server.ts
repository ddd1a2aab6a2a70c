import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { postgresBinaries, reachableBy, serverUser, SHARED_ROOT } from "./binaries";

export type PostgresServer = {
  /** The data directory in use (moved out of the checkout when the server user cannot reach it). */
  dataDir: string;
  stop(): Promise<void>;
};

function run(command: string, args: string[], ids: { uid?: number; gid?: number }) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { ...ids, stdio: ["ignore", "ignore", "pipe"] });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed: ${errors}`)),
    );
  });
}

/**
 * Starts a real PostgreSQL from the binaries on npm, initialising its data
 * directory on first use. As root it runs as the `postgres` account; when
 * that account cannot enter the checkout (a clone in root's home folder or
 * in a 0700 temporary folder), binaries and data live under /var/tmp
 * instead, so the README's commands work there unchanged.
 *
 * The server gets a process group of its own: a Ctrl-C in the terminal
 * reaches the app, which stops the server after it has finished with it.
 */
export async function startPostgresServer(options: {
  dataDir: string;
  port: number;
  superuser: string;
  password: string;
  flags: string[];
  /** Start from an empty data directory, wherever it lives. */
  fresh?: boolean;
}): Promise<PostgresServer> {
  const user = serverUser();
  const binaries = await postgresBinaries(user);
  let dataDir = path.resolve(options.dataDir);
  if (user && !reachableBy(user, dataDir)) {
    const key = createHash("sha256").update(dataDir).digest("hex").slice(0, 16);
    dataDir = path.join(SHARED_ROOT, `data-${key}`);
  }
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  await stopOrphan(dataDir);
  if (options.fresh) await rm(dataDir, { recursive: true, force: true });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await rm(dataDir, { recursive: true, force: true });
    // Its parents with the usual mode: the server's account must pass through them.
    await mkdir(path.dirname(dataDir), { recursive: true });
    await mkdir(dataDir, { mode: 0o700 });
    if (user) await chown(dataDir, user.uid, user.gid);
    const pwfile = path.join(os.tmpdir(), `lethe-pg-${randomBytes(6).toString("hex")}`);
    await writeFile(pwfile, options.password + "\n", { mode: 0o600 });
    if (user) await chown(pwfile, user.uid, user.gid);
    try {
      await run(
        binaries.initdb,
        [
          `--pgdata=${dataDir}`,
          `--username=${options.superuser}`,
          `--pwfile=${pwfile}`,
          "--auth=scram-sha-256",
          "--encoding=UTF8",
          "--no-locale",
          "--no-sync",
        ],
        ids,
      );
    } finally {
      await rm(pwfile, { force: true });
    }
  }
  const child = spawn(
    binaries.postgres,
    ["-D", dataDir, "-p", String(options.port), ...options.flags],
    { ...ids, detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  await ready(child);
  await writeFile(starterFile(dataDir), String(process.pid));
  const stopOnExit = () => child.kill("SIGINT");
  process.on("exit", stopOnExit);
  return {
    dataDir,
    stop: async () => {
      process.off("exit", stopOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        // SIGINT is Postgres' fast shutdown: sessions end, nothing is lost.
        child.kill("SIGINT");
        await exited;
      }
      await rm(starterFile(dataDir), { force: true });
    },
  };
}

/** Where the process that started a data directory's server writes its pid. */
const starterFile = (dataDir: string) => `${dataDir}.starter`;

const alive = (pid: number) => Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`);

/**
 * A server of this data directory whose starter died without stopping it
 * (a SIGKILL reaches neither the server nor its own process group) is
 * stopped, so the data directory can be started again. One whose starter
 * lives belongs to another `npm run dev`, and is left alone.
 */
async function stopOrphan(dataDir: string) {
  const read = (file: string) => readFile(file, "utf8").catch(() => "");
  const server = Number((await read(path.join(dataDir, "postmaster.pid"))).split("\n")[0]);
  if (!alive(server) || alive(Number(await read(starterFile(dataDir))))) return;
  process.kill(server, "SIGINT");
  while (alive(server)) await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * Resolves once the server accepts connections; rejects with its last words
 * if it dies first. Its log is read to the end either way: a pipe nobody
 * reads would fill up and stall the server.
 */
function ready(child: ChildProcess) {
  return new Promise<void>((resolve, reject) => {
    let output = "";
    let started = false;
    child.stderr?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      if (!started) output += text;
      if (!started && output.includes("database system is ready to accept connections")) {
        started = true;
        resolve();
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (!started) reject(new Error(`PostgreSQL exited with ${code} while starting:\n${output}`));
    });
  });
}
