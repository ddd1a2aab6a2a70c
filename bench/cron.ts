import { rowCategories } from "../server/retention/categories";
import { DEFAULT_SETTINGS, type Engine } from "../server/retention/deps";
import { runDailyPurge, type DailyPurgeResult } from "../server/retention/run/daily";
import { raw, sql } from "../server/retention/sql";
import { BENCH_DB, copyDatabase, dropDatabase, openSeededBench } from "./lib/bench-db";
import { benchEngine } from "./lib/engine";
import { count, header, ms, numericFlags, verdict } from "./lib/report";
import { runCli } from "../scripts/cli";

/** Deliveries in a row that move nothing: the day is stuck (a step larger than the budget). */
const STALLED = 20;

/** The goal: no delivery runs more than this past its budget. */
const OVERRUN_MS = 2_000;

/** What a governed table holds after the run: its ids (a prompt's, with whether it is archived), hashed. */
async function tableState(engine: Engine) {
  const state: Record<string, string> = {};
  for (const c of rowCategories()) {
    const id = c.key === "PROMPTS" ? sql`id || ':' || (archived_at IS NULL)` : sql`id::text`;
    const [row] = await engine.db.$queryRaw<{ rows: bigint; ids: string | null }[]>(sql`
      SELECT count(*)::bigint AS rows, md5(string_agg(${id}, ',' ORDER BY id)) AS ids
      FROM ${raw(c.table)}`);
    state[c.table] = `${count(row?.rows ?? 0n)} rows, ids ${row?.ids ?? "-"}`;
  }
  return state;
}

/** One delivery as the cron route makes it: a working deadline of 80% of its maxDuration. */
async function deliver(engine: Engine, maxDurationMs: number) {
  const started = Date.now();
  const result = await runDailyPurge(engine, started + maxDurationMs * 0.8);
  return { result, wallMs: Date.now() - started };
}

const ended = (r: DailyPurgeResult) => !!r.progress && r.progress.status !== "RUNNING";

function describe(r: DailyPurgeResult) {
  if (r.planning) return `planning ${r.planning.stepsDone}/${r.planning.stepsTotal} steps`;
  const p = r.progress;
  return p ? `${p.status.toLowerCase()} ${Math.round(p.fraction * 100)}%` : "-";
}

/**
 * `npm run bench:cron`: the daily run of the scale dataset driven only by
 * cron deliveries of a short `--max-duration` (CRON_MAX_DURATION_SECONDS),
 * back to back, on one copy; on another, the same day worked by one
 * delivery without a deadline. Prints each delivery's wall time against its
 * budget and compares the governed tables of both copies.
 */
async function main() {
  const flags = numericFlags({
    "max-duration": 20,
    "max-deliveries": 2000,
    "step-orgs": DEFAULT_SETTINGS.planStepOrgs,
    "step-items": DEFAULT_SETTINGS.planStepItems,
  });
  const settings = { planStepOrgs: flags["step-orgs"], planStepItems: flags["step-items"] };
  const maxDurationMs = (flags["max-duration"] ?? 20) * 1000;
  const server = await openSeededBench();
  const copies = { cron: `${BENCH_DB}_cron`, whole: `${BENCH_DB}_cron_whole` };
  // One clock for both: the same day, the same asOf.
  const now = new Date();
  try {
    header(
      `bench:cron — the daily run in deliveries of ${flags["max-duration"]} s (working deadline 80%), planning steps of ${settings.planStepOrgs} orgs or ${settings.planStepItems} item ids`,
      server.where,
    );
    for (const copy of Object.values(copies)) await copyDatabase(server.serverUrl, BENCH_DB, copy);

    const cron = await benchEngine(server.urlFor(copies.cron), { settings });
    cron.engine.now = () => now;
    const deliveries: { wallMs: number; what: string }[] = [];
    let completed = false;
    try {
      for (let n = 1; n <= (flags["max-deliveries"] ?? 2000); n++) {
        const { result, wallMs } = await deliver(cron.engine, maxDurationMs);
        deliveries.push({ wallMs, what: describe(result) });
        console.log(
          `  delivery ${String(n).padStart(4)}  ${ms(wallMs).padStart(8)} of ${ms(maxDurationMs)}  ${describe(result)}`,
        );
        completed = ended(result);
        if (completed) break;
        // A step or batch slower than the budget is never started: the day would never end.
        if (deliveries.slice(-STALLED).every((d) => d.what === describe(result)) && n > STALLED) {
          console.log(`  stalled: ${STALLED} deliveries in a row moved nothing`);
          break;
        }
      }
    } finally {
      await cron.close();
    }

    const whole = await benchEngine(server.urlFor(copies.whole), { settings });
    whole.engine.now = () => now;
    let wholeMs = 0;
    try {
      for (;;) {
        const { result, wallMs } = await deliver(whole.engine, 24 * 3_600_000);
        wholeMs += wallMs;
        if (ended(result)) break;
      }
    } finally {
      await whole.close();
    }

    const [a, b] = await Promise.all(
      [copies.cron, copies.whole].map(async (copy) => {
        const e = await benchEngine(server.urlFor(copy), { connections: 2 });
        try {
          return await tableState(e.engine);
        } finally {
          await e.close();
        }
      }),
    );
    console.log("\n  governed tables after the run (cron deliveries | without deadlines):");
    const differ = Object.keys(a ?? {}).filter((table) => a?.[table] !== b?.[table]);
    for (const table of Object.keys(a ?? {}))
      console.log(`    ${table.padEnd(22)} ${a?.[table]} ${differ.includes(table) ? "≠" : "="}`);

    const longest = Math.max(...deliveries.map((d) => d.wallMs));
    console.log(`\n  without deadlines: ${ms(wholeMs)} in all\n`);
    verdict("the day's run completes", `${count(deliveries.length)} deliveries`, "ends", completed);
    verdict(
      "longest delivery past its budget",
      ms(Math.max(0, longest - maxDurationMs)),
      `≤ ${ms(OVERRUN_MS)}`,
      longest <= maxDurationMs + OVERRUN_MS,
    );
    verdict(
      "governed tables equal, row for row",
      `${differ.length} differ`,
      "0",
      differ.length === 0,
    );
  } finally {
    for (const copy of Object.values(copies)) await dropDatabase(server.serverUrl, copy);
    await server.stop();
  }
}

runCli(main);
