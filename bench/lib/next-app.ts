import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm, symlink } from "node:fs/promises";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { ROOT } from "../../scripts/local-stack";

const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

/**
 * A copy of the working tree (tracked and untracked files, not ignored
 * ones) with node_modules linked in: the bench builds there, so its `.next`
 * never collides with a build or dev server running in the repository.
 */
export async function copyWorkingTree(target: string) {
  const listed = spawnSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    if (file.startsWith("bench/") || !existsSync(path.join(ROOT, file))) continue;
    await cp(path.join(ROOT, file), path.join(target, file), { recursive: true });
  }
  // The generated Prisma client is git-ignored but imported by the app.
  await cp(path.join(ROOT, "server", "generated"), path.join(target, "server", "generated"), {
    recursive: true,
  });
  await symlink(path.join(ROOT, "node_modules"), path.join(target, "node_modules"), "dir");
}

export function nextBuild(dir: string, env: NodeJS.ProcessEnv) {
  const build = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: dir,
    env,
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error(`next build failed in ${dir}`);
}

/** `next start` on `port`; resolves once it answers. */
export async function nextStart(dir: string, port: number, env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port)], {
    cwd: dir,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (const until = Date.now() + 60_000; Date.now() < until;) {
    const up = await fetch(`${base}/api/auth/csrf`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { base, stop: () => child.kill("SIGTERM") };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGTERM");
  throw new Error(`next start did not answer on ${base} within 60 s`);
}

/** The cookies a response sets, as a Cookie header (name=value; …), merged over `jar`. */
export function keepCookies(jar: Map<string, string>, response: Response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair?.indexOf("=") ?? -1;
    if (pair && at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** Signs in through next-auth's credentials flow and returns the session's Cookie header. */
export async function signIn(base: string, email: string, password: string) {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = keepCookies(jar, csrf);
  const answer = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: base, json: "true" }),
  });
  const session = keepCookies(jar, answer);
  if (![...jar.keys()].some((k) => k.endsWith("next-auth.session-token")))
    throw new Error(`Sign-in as ${email} failed (HTTP ${answer.status})`);
  return session;
}

/**
 * First-load JS of an app route, gzipped: the root chunks every page loads
 * plus the chunks of the route's layouts and page, from the production
 * build's manifests (Turbopack's client reference manifest per page).
 */
export async function firstLoadJs(dir: string, appPage: string) {
  const next = path.join(dir, ".next");
  const build = JSON.parse(await readFile(path.join(next, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  const manifestFile = path.join(next, "server", "app", `${appPage}${MANIFEST_SUFFIX}`);
  const sandbox: { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } =
    {};
  vm.runInNewContext(await readFile(manifestFile, "utf8"), sandbox);
  const entry = sandbox.__RSC_MANIFEST?.[appPage];
  if (!entry?.entryJSFiles) throw new Error(`No entry chunks for ${appPage} in ${manifestFile}`);
  const files = new Set([...build.rootMainFiles, ...Object.values(entry.entryJSFiles).flat()]);
  let gz = 0;
  for (const file of files) gz += gzipSync(await readFile(path.join(next, file))).length;
  return { files: files.size, gz };
}

const MANIFEST_SUFFIX = "_client-reference-manifest.js";

/** Every page the build has an entry for ("/(console)/deletions/page"), for firstLoadJs. */
export async function appPages(dir: string) {
  const app = path.join(dir, ".next", "server", "app");
  const files = await readdir(app, { recursive: true });
  return files
    .filter((file) => file.endsWith(`page${MANIFEST_SUFFIX}`))
    .map((file) => `/${file.slice(0, -MANIFEST_SUFFIX.length).split(path.sep).join("/")}`)
    .sort();
}
