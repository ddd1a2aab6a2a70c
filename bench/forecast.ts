import { createDb } from "../server/db";
import { DEFAULT_SETTINGS, type EngineSettings } from "../server/retention/engine";
import { forecastByDay, upcomingByOrg } from "../server/retention/forecast";
import { openSeededBench } from "./lib/bench-db";
import { count, header, ms, numericFlags, percentile, timed, verdict } from "./lib/report";

/**
 * `npm run bench:forecast`: the Upcoming deletions page's two questions
 * over the whole fleet, 90 days ahead: the calendar (forecastByDay) and the
 * first page of the org × category table (upcomingByOrg). Each is timed
 * --runs times after one warm-up; the page asks both at once.
 */
async function main() {
  const flags = numericFlags({ runs: 5, horizon: 90 });
  const bench = await openSeededBench();
  const db = createDb(bench.url, { maxConnections: 4 });
  const settings: EngineSettings = { ...DEFAULT_SETTINGS, policy: {} };
  const filter = { horizonDays: flags.horizon };
  const page = { offset: 0, limit: 50, sort: { by: "bytes" as const, desc: true } };
  try {
    header(`bench:forecast — the ${flags.horizon}-day forecast`, bench.where);
    const cold = await timed(() => forecastByDay(db, settings, filter, new Date()));
    const days = cold.value;
    const items = days.reduce((sum, d) => sum + d.items, 0);
    console.log(
      `  first call (cold): ${ms(cold.ms)}; ${count(items)} items due over ${new Set(days.map((d) => d.day)).size} days`,
    );
    const calendar: number[] = [];
    const table: number[] = [];
    const both: number[] = [];
    let total = 0;
    for (let i = 0; i < flags.runs; i++) {
      calendar.push((await timed(() => forecastByDay(db, settings, filter, new Date()))).ms);
      const t = await timed(() => upcomingByOrg(db, settings, filter, new Date(), page));
      total = t.value.total;
      table.push(t.ms);
      both.push(
        (
          await timed(() =>
            Promise.all([
              forecastByDay(db, settings, filter, new Date()),
              upcomingByOrg(db, settings, filter, new Date(), page),
            ]),
          )
        ).ms,
      );
    }
    console.log(`  table: ${count(total)} org × category rows\n`);
    const p50 = (values: number[]) => percentile(values, 50);
    verdict(
      `forecastByDay p50 (${flags.runs} runs)`,
      ms(p50(calendar)),
      "≤ 1 s",
      p50(calendar) <= 1000,
    );
    verdict(`upcomingByOrg p50 (${flags.runs} runs)`, ms(p50(table)), "≤ 1 s", p50(table) <= 1000);
    verdict("both at once, as the page asks, p50", ms(p50(both)), "≤ 1 s", p50(both) <= 1000);
  } finally {
    await db.$disconnect();
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
