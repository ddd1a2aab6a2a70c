import type { Engine } from "../server/retention/deps";
import { PLANS } from "../server/retention/policy/defaults";
import { finallyDeleteDue } from "../server/retention/restore/final-deletion";
import { restoreItems } from "../server/retention/restore/restore";
import { sql } from "../server/retention/sql";
import { BENCH_DB, copyDatabase, dropDatabase, openSeededBench } from "./lib/bench-db";
import { benchEngine, confirm, preview, workRun } from "./lib/engine";
import { count, header, ms, timed, verdict } from "./lib/report";
import { runCli } from "../scripts/cli";

const DAY_MS = 86_400_000;

/** The artifacts' restore window of every plan: PRODUCT.md's 7 days, or none. */
const artifactWindows = (days: number) =>
  Object.fromEntries(PLANS.map((plan) => [`RESTORE_DAYS_ARTIFACTS_${plan}`, days]));

/** What the artifacts table holds: its rows and their ids and creation times, hashed. */
async function artifactsState(engine: Engine) {
  const [row] = await engine.db.$queryRaw<{ rows: bigint; digest: string | null }[]>(sql`
    SELECT count(*)::bigint AS rows,
           md5(string_agg(id || ':' || created_at::text || ':' || bytes, ',' ORDER BY id)) AS digest
    FROM artifacts`);
  return `${count(row?.rows ?? 0n)} rows, ${row?.digest ?? "-"}`;
}

/** The artifacts purged fleet-wide through the engine on `copy`, as of `asOf`: the run and its time. */
async function purgeArtifacts(engine: Engine, asOf: Date) {
  const planned = await timed(() =>
    preview(engine, { orgIds: null, categories: ["ARTIFACTS"], asOf }),
  );
  const worked = await timed(async () => workRun(engine, await confirm(engine, planned.value), 2));
  return { run: worked.value, dryRunMs: planned.ms, runMs: worked.ms };
}

/**
 * `npm run bench:restore`: the scale dataset's eligible artifacts purged
 * through the engine on three copies, as of one moment: without a restore
 * window (objects and rows at once); with PRODUCT.md's 7 days, then the
 * final deletion 8 days later; with 7 days, then the whole run restored.
 * The store is an empty local folder (object deletes find nothing): the
 * figures are the database's; `bench:s3` counts requests.
 */
async function main() {
  const bench = await openSeededBench();
  const copies = {
    none: `${BENCH_DB}_restore_none`,
    window: `${BENCH_DB}_restore_window`,
    back: `${BENCH_DB}_restore_back`,
  };
  const asOf = new Date();
  try {
    header("bench:restore — artifacts purged with a 7-day restore window and without", bench.where);
    for (const copy of Object.values(copies)) await copyDatabase(bench.serverUrl, BENCH_DB, copy);

    const open = (copy: string, days: number) =>
      benchEngine(bench.urlFor(copy), { settings: { policy: artifactWindows(days) } });
    const withEngine = async <T>(copy: string, days: number, fn: (e: Engine) => Promise<T>) => {
      const { engine, close } = await open(copy, days);
      engine.now = () => asOf;
      try {
        return await fn(engine);
      } finally {
        await close();
      }
    };

    const none = await withEngine(copies.none, 0, (e) => purgeArtifacts(e, asOf));
    console.log(
      `  without a window: dry run ${ms(none.dryRunMs)}, ${count(none.run?.deleted ?? 0n)} artifacts purged in ${ms(none.runMs)}`,
    );

    const window = await withEngine(copies.window, 7, async (e) => {
      const purged = await purgeArtifacts(e, asOf);
      e.now = () => new Date(asOf.getTime() + 8 * DAY_MS);
      const final = await timed(() => finallyDeleteDue(e, purged.run?.id ?? "", Infinity));
      return { ...purged, final };
    });
    console.log(
      `  7-day window: dry run ${ms(window.dryRunMs)}, ${count(window.run?.deleted ?? 0n)} artifacts into the window in ${ms(window.runMs)}, ` +
        `then ${count(window.final.value.deleted)} finally deleted in ${ms(window.final.ms)}`,
    );

    const back = await withEngine(copies.back, 7, async (e) => {
      const before = await artifactsState(e);
      const purged = await purgeArtifacts(e, asOf);
      const restored = await timed(() =>
        restoreItems(e, { runId: purged.run?.id ?? "" }, "system"),
      );
      return { before, after: await artifactsState(e), restored };
    });
    console.log(
      `  restore of the whole run: ${count(back.restored.value.items)} artifacts back in ${ms(back.restored.ms)}`,
    );

    const states = await Promise.all(
      [copies.none, copies.window].map((copy) => withEngine(copy, 0, artifactsState)),
    );
    console.log(`\n  artifacts left: without a window ${states[0]}`);
    console.log(`                  window + final   ${states[1]}`);
    console.log(`  before the purge ${back.before}\n  after the restore ${back.after}\n`);

    const twoSteps = window.runMs + window.final.ms;
    verdict(
      "purge into the window + final deletion, against the purge without a window",
      `${(twoSteps / none.runMs).toFixed(2)}× (${ms(twoSteps)} / ${ms(none.runMs)})`,
      "≤ 2×",
      twoSteps <= 2 * none.runMs,
    );
    verdict(
      "both leave the same artifacts",
      states[0] === states[1] ? "same" : "differ",
      "same",
      states[0] === states[1],
    );
    verdict(
      "the restored run equals the table before the purge",
      back.before === back.after ? "equal" : "differ",
      "equal",
      back.before === back.after,
    );
  } finally {
    for (const copy of Object.values(copies)) await dropDatabase(bench.serverUrl, copy);
    await bench.stop();
  }
}

runCli(main);
