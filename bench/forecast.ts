import { createDb } from "../server/db";
import type { Plan, RetentionCategory } from "../server/generated/prisma/enums";
import {
  forecastByDay,
  upcomingByOrg,
  type ForecastFilter,
} from "../server/retention/forecast/upcoming";
import { currentForecast } from "../server/retention/forecast/snapshot";
import { openSeededBench } from "./lib/bench-db";
import { BENCH_SETTINGS, largestOrg, refreshAfterOnePurge, refreshSnapshot } from "./lib/forecast";
import { count, header, ms, numericFlags, percentile, timed, verdict } from "./lib/report";
import { runCli } from "../scripts/cli";

const VARIANTS: { label: string; filter: ForecastFilter }[] = [
  { label: "all orgs, 7 days", filter: { horizonDays: 7 } },
  { label: "all orgs, 30 days", filter: { horizonDays: 30 } },
  { label: "plan FREE, 90 days", filter: { horizonDays: 90, plans: ["FREE" as Plan] } },
  {
    label: "drift checks, 90 days",
    filter: { horizonDays: 90, categories: ["DRIFT_CHECKS" as RetentionCategory] },
  },
  { label: "org search 'Atlas 1', 90 days", filter: { horizonDays: 90, orgSearch: "Atlas 1" } },
];

/**
 * `npm run bench:forecast`: the Upcoming deletions page's two questions
 * over the whole fleet, 90 days ahead: the calendar (forecastByDay) and the
 * first page of the org × category table (upcomingByOrg), as the page asks
 * them (both at once, after resolving the current snapshot). Also prints
 * what computing the snapshot itself costs: a full refresh (a new day, or
 * the governed tables read too long ago), in the background at scale, and
 * an incremental one after a one-org purge (a run, an override or a hold
 * marks only the pairs it touched), inline.
 */
async function main() {
  const flags = numericFlags({ runs: 20 });
  const bench = await openSeededBench();
  const db = createDb(bench.url, { maxConnections: 4 });
  const page = { offset: 0, limit: 50, sort: { by: "bytes" as const, desc: true } };
  const noBackground = () => {
    throw new Error("the snapshot was fresh: nothing should refresh in the background");
  };
  const ask = async (filter: ForecastFilter) => {
    const now = new Date();
    const snapshot = await currentForecast(db, BENCH_SETTINGS, now, noBackground);
    const [days, table] = await Promise.all([
      forecastByDay(db, snapshot, filter, now),
      upcomingByOrg(db, snapshot, filter, now, page),
    ]);
    return { days, table };
  };
  try {
    header("bench:forecast — the 90-day forecast", bench.where);
    const refresh = await timed(() => refreshSnapshot(db));
    const [rows] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM forecast_days WHERE snapshot_id = ${refresh.value}`;
    console.log(
      `  snapshot refresh (background work): ${ms(refresh.ms)}, ${count(rows?.n ?? 0)} org × category × day rows`,
    );
    const org = await largestOrg(db, refresh.value ?? 0);
    const incremental: number[] = [];
    for (let i = 0; i < 5; i++)
      incremental.push((await timed(() => refreshAfterOnePurge(db, org.id))).ms);
    const amend = percentile(incremental, 50);
    console.log(
      `  incremental refresh after a one-org purge (org ${org.id}, ${count(org.items)} items due), p50 of 5: ${ms(amend)}`,
    );
    verdict(
      "incremental / full refresh",
      `1/${Math.round(refresh.ms / amend)}`,
      "≤ 1/20",
      amend * 20 <= refresh.ms,
    );
    const first = await ask({ horizonDays: 90 });
    const items = first.days.reduce((sum, d) => sum + d.items, 0);
    console.log(
      `  90 days: ${count(items)} items due over ${new Set(first.days.map((d) => d.day)).size} days; table of ${count(first.table.total)} org × category rows\n`,
    );

    const whole: number[] = [];
    for (let i = 0; i < flags.runs; i++)
      whole.push((await timed(() => ask({ horizonDays: 90 }))).ms);
    const p50 = percentile(whole, 50);
    verdict(
      `all orgs, 90 days, calendar + table p50 (${flags.runs} runs)`,
      ms(p50),
      "≤ 1 s",
      p50 <= 1000,
    );
    console.log(`  p95 / max: ${ms(percentile(whole, 95))} / ${ms(Math.max(...whole))}`);
    for (const variant of VARIANTS) {
      const times: number[] = [];
      for (let i = 0; i < Math.max(3, flags.runs / 4); i++)
        times.push((await timed(() => ask(variant.filter))).ms);
      const median = percentile(times, 50);
      verdict(`  ${variant.label}, p50`, ms(median), "≤ 1 s", median <= 1000);
    }
  } finally {
    await db.$disconnect();
    await bench.stop();
  }
}

runCli(main);
