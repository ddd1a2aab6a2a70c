import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createDb, type Db } from "../server/db";
import { createUser, setDisabled } from "../server/accounts/users";
import { enabledDemoAccounts } from "../server/accounts/demo-accounts";
import { freePort } from "../scripts/embedded-db";
import { migrateDatabase } from "../scripts/migrate-database";
import { CLI } from "../scripts/user-commands";
import { BENCH_DB, BENCH_DIR, openSeededBench } from "./lib/bench-db";
import { refreshSnapshot } from "./lib/forecast";
import {
  appPages,
  copyWorkingTree,
  firstLoadJs,
  nextBuild,
  nextStart,
  signIn,
} from "./lib/next-app";
import { header, ms, numericFlags, percentile, timed, verdict } from "./lib/report";
import { runCli } from "../scripts/cli";

/** The pages the goal names, and their app-router entries in the build. */
const PAGES = [
  { name: "Overview", route: "/", appPage: "/(console)/page" },
  { name: "Upcoming deletions", route: "/deletions", appPage: "/(console)/deletions/page" },
  { name: "Incidents", route: "/incidents", appPage: "/(console)/incidents/page" },
  { name: "Purge runs", route: "/runs", appPage: "/(console)/runs/page" },
];

/**
 * An admin of the bench's own, created as `npm run user:create` does, and
 * the demo accounts disabled: a production server refuses to start while
 * anyone can sign in with a published password.
 */
async function benchAdmin(db: Db) {
  const email = `bench-${randomBytes(4).toString("hex")}@lethe.bench`;
  const password = randomBytes(18).toString("base64url");
  const account = { email, name: "Bench Admin", role: "ADMIN" };
  await createUser(db, { ...CLI, production: true, account, password });
  for (const demo of await enabledDemoAccounts(db)) {
    const user = await db.user.findUniqueOrThrow({ where: { email: demo } });
    await setDisabled(db, { ...CLI, userId: user.id, disabled: true, production: true });
  }
  return { email, password };
}

/** Time to the last byte of the server's HTML for one page request. */
async function timePage(url: string, cookie: string) {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await response.text();
  const took = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
  return took;
}

/** p50 and p95 of `requests` requests of one page, after one warm-up. */
async function timeRequests(url: string, cookie: string, requests: number) {
  await timePage(url, cookie);
  const times: number[] = [];
  for (let i = 0; i < requests; i++) times.push(await timePage(url, cookie));
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/**
 * `npm run bench:pages`: the console on the scale dataset. Builds the
 * working tree (in a copy under .lethe/bench/app), starts it against the
 * bench database as the app's own role, signs in as an admin of its own
 * (the demo accounts disabled, as production demands), then requests each page
 * --requests times after one warm-up, and reads each page's first-load JS
 * from the build's manifests. The forecast snapshot is brought up to date
 * first, as the pages mostly find it; Upcoming deletions is then timed again
 * while a fleet-wide refresh runs beside it, as it does every 5 minutes
 * someone looks.
 */
async function main() {
  const flags = numericFlags({ requests: 20, build: 1 });
  const bench = await openSeededBench();
  const dir = path.join(BENCH_DIR, "app");
  const port = await freePort(3400);
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    // The app's own role, which may not rewrite the audit log, as production demands.
    DATABASE_URL: bench.appUrlFor(BENCH_DB),
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: randomBytes(24).toString("base64url"),
    CRON_SECRET: randomBytes(24).toString("base64url"),
    STORAGE: "local",
    STORAGE_DIR: path.join(BENCH_DIR, "storage"),
  };
  let stop = () => {};
  try {
    header("bench:pages — console pages on the scale dataset", bench.where);
    // The scale dataset stores no object, but production refuses a folder of objects that is not there.
    await mkdir(env.STORAGE_DIR, { recursive: true });
    const db = createDb(bench.url, { maxConnections: 4 });
    await migrateDatabase({ ownerUrl: bench.url, appUrl: env.DATABASE_URL });
    const admin = await benchAdmin(db);
    if (flags.build) {
      await copyWorkingTree(dir);
      nextBuild(dir, env);
    }
    const refreshed = await timed(() => refreshSnapshot(db));
    console.log(`\n  forecast snapshot brought up to date first: ${ms(refreshed.ms)}`);
    const app = await nextStart(dir, port, env);
    stop = app.stop;
    const cookie = await signIn(app.base, admin.email, admin.password);
    console.log(
      `\n  ${flags.requests} requests per page after one warm-up, signed in as ${admin.email}\n`,
    );
    // The goal is every route's: the pages timed are not the only ones that grow.
    const everyPage = new Map(
      await Promise.all(
        (await appPages(dir)).map(
          async (appPage) => [appPage, await firstLoadJs(dir, appPage)] as const,
        ),
      ),
    );
    for (const page of PAGES) {
      const url = `${app.base}${page.route}`;
      const { p50, p95 } = await timeRequests(url, cookie, flags.requests);
      const js = everyPage.get(page.appPage);
      if (!js) throw new Error(`No entry for ${page.appPage} in the build`);
      verdict(`${page.name} (${page.route}) p50`, ms(p50), "≤ 300 ms", p50 <= 300);
      console.log(`  ${"".padEnd(44)} p95 ${ms(p95).padStart(10)}`);
      const kb = js.gz / 1000;
      verdict(
        `${page.name} first-load JS (${js.files} files, gz)`,
        `${kb.toFixed(0)} kB`,
        "≤ 250 kB",
        kb <= 250,
      );
    }
    const sized = [...everyPage].map(([appPage, js]) => ({ appPage, kb: js.gz / 1000 }));
    const largest = sized.reduce((a, b) => (b.kb > a.kb ? b : a));
    console.log(
      `\n  first-load JS of all ${sized.length} pages of the build: ${Math.min(...sized.map((p) => p.kb)).toFixed(0)}–${largest.kb.toFixed(0)} kB gz`,
    );
    verdict(
      `the largest, ${largest.appPage}`,
      `${largest.kb.toFixed(0)} kB`,
      "≤ 250 kB",
      largest.kb <= 250,
    );
    // The page reads the previous snapshot meanwhile; what it waits for is the CPU.
    const refreshing = timed(() => refreshSnapshot(db));
    const during = await timeRequests(`${app.base}/deletions`, cookie, flags.requests);
    console.log(
      `\n  Upcoming deletions while a fleet-wide snapshot refresh runs (${ms((await refreshing).ms)}): ` +
        `p50 ${ms(during.p50)}, p95 ${ms(during.p95)} (no goal: the refresh holds one of the 2 cores)`,
    );
    await db.$disconnect();
  } finally {
    stop();
    await bench.stop();
  }
}

runCli(main);
