import type { Engine } from "../server/retention/deps";
import { loadOverrides } from "../server/retention/policy/org-windows";
import { openSeededBench } from "./lib/bench-db";
import { benchEngine, dropPlans, preview } from "./lib/engine";
import { bareDryRun, type BareCategory } from "./lib/bare";
import { printProfile, statementProfile } from "./lib/statements";
import { rowCategories } from "../server/retention/categories";
import { naivePreviewOrg, type NaiveTotals } from "./lib/naive";
import { bytes, count, header, ms, numericFlags, percentile, timed, verdict } from "./lib/report";
import { runCli } from "../scripts/cli";

/**
 * Every n-th org by id, starting half a step in: org size follows id in the
 * seed, so this spans small and large tenants alike without always taking
 * the very largest (org 1).
 */
const everyNth = <T>(items: T[], want: number) => {
  const step = Math.max(1, Math.floor(items.length / Math.max(1, want)));
  return items.filter((_, i) => i % step === Math.floor(step / 2)).slice(0, want);
};

/** What the plan found of each category, from its entries. */
async function itemsPerCategory(engine: Engine, planId: string) {
  const rows = await engine.db.$queryRaw<{ category: string; items: bigint }[]>`
    SELECT category::text, sum(item_count)::bigint AS items FROM plan_entries WHERE plan_id = ${planId} GROUP BY category`;
  return new Map(rows.map((r) => [r.category, Number(r.items)]));
}

type StepWork = { kind: string; steps: number; work_ms: number; items: bigint };

/** A plan's steps by kind: how many, their work (each step's transaction) and the items they found. */
const stepWork = (engine: Engine, planId: string) =>
  engine.db.$queryRaw<StepWork[]>`
    SELECT kind::text, count(*)::int AS steps, coalesce(sum(work_ms), 0)::int AS work_ms, sum(items)::bigint AS items
    FROM plan_steps WHERE plan_id = ${planId} GROUP BY kind ORDER BY min(id)`;

/** Where the planning time went: each kind of step's work, summed over the workers, and µs per item found. */
function printStepWork(kinds: StepWork[]) {
  const work = kinds.reduce((sum, k) => sum + k.work_ms, 0);
  console.log(`  the dry run's steps (work summed over the workers: ${ms(work)}):`);
  for (const k of kinds) {
    const perItem =
      k.items > 0n ? `, ${((k.work_ms * 1000) / Number(k.items)).toFixed(1)} µs an item` : "";
    console.log(
      `    ${k.kind.padEnd(14)} ${String(k.steps).padStart(4)} steps  ${ms(k.work_ms).padStart(8)}${perItem}`,
    );
  }
}

/** Prints each category's bare statement (both runs) beside what the dry run found; returns their mean total. */
function printBare(before: BareCategory[], after: BareCategory[], found: Map<string, number>) {
  const total = (runs: BareCategory[]) => runs.reduce((sum, c) => sum + c.ms, 0);
  console.log(
    `  bare INSERT … SELECT of the eligible ids, per category (before / after the engine):`,
  );
  for (const [i, c] of before.entries()) {
    const same = found.get(c.category) ?? 0;
    console.log(
      `    ${c.category.padEnd(21)} ${count(c.rows).padStart(10)} rows ${same === c.rows ? "(the dry run's)" : `(DIFFER: the dry run found ${count(same)})`}: ${ms(c.ms)} / ${ms(after[i]?.ms ?? 0)}`,
    );
  }
  const mean = (total(before) + total(after)) / 2;
  console.log(
    `  bare, every category: ${ms(total(before))} before, ${ms(total(after))} after (mean ${ms(mean)})`,
  );
  return mean;
}

async function planTotals(engine: Engine, planId: string) {
  const plan = await engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
  return { items: Number(plan.itemCount), bytes: plan.bytes };
}

/**
 * `npm run bench:preview`: the all-org, all-category dry run through the
 * engine against the naive way (per org: ORM lists, row-by-row decisions
 * and manifest writes), then one-org previews. The naive way on the whole
 * fleet takes hours, so it runs on a spread sample (--naive-orgs, 0 = all)
 * that the engine also previews: that ratio is measured on both sides;
 * the all-org ratio extrapolates the sample's time per item. The all-org
 * dry run's steps are worked by --workers loops side by side (2, as
 * bench:purge's run), as that many worker processes take them in production.
 * It prints the dry run's --statements costliest statements (8).
 */
async function main() {
  const flags = numericFlags({ "naive-orgs": 100, "one-org-runs": 20, workers: 2, statements: 8 });
  const bench = await openSeededBench();
  const { engine, close } = await benchEngine(bench.url);
  const planIds: string[] = [];
  try {
    header("bench:preview — dry run of every org and category", bench.where);
    const orgs = await engine.db.organization.findMany({
      select: { id: true, plan: true },
      orderBy: { id: "asc" },
    });

    // The bare statements run before and after the engine, as of the same moment: neither side
    // alone pays for reading the tables in.
    const workers = `${flags.workers} worker${flags.workers === 1 ? "" : "s"}`;
    const asOf = new Date();
    const bareBefore = await bareDryRun(engine.db, asOf, rowCategories());
    const profile = await statementProfile(bench.url);
    const all = await timed(() =>
      preview(engine, { orgIds: null, categories: null, asOf }, flags.workers),
    );
    const statements = (await profile?.top(flags.statements)) ?? null;
    planIds.push(all.value);
    const allTotals = await planTotals(engine, all.value);
    const found = await itemsPerCategory(engine, all.value);
    const steps = await stepWork(engine, all.value);
    await dropPlans(engine, planIds.splice(0));
    const bareAfter = await bareDryRun(engine.db, asOf, rowCategories());
    console.log(
      `  engine, ${count(orgs.length)} orgs × all categories: ${ms(all.ms)} (${count(allTotals.items)} items, ${bytes(allTotals.bytes)}; ${workers})`,
    );
    printStepWork(steps);
    const bareMs = printBare(bareBefore, bareAfter, found);
    if (statements) printProfile(statements, "the dry run's costliest statements");

    const wanted = flags["naive-orgs"] === 0 ? orgs.length : flags["naive-orgs"];
    const sample = everyNth(orgs, wanted);
    const scoped = await timed(() =>
      preview(engine, { orgIds: sample.map((o) => o.id), categories: null }),
    );
    planIds.push(scoped.value);
    const scopedTotals = await planTotals(engine, scoped.value);
    await dropPlans(engine, planIds.splice(0));
    console.log(
      `  engine, the naive sample (${count(sample.length)} orgs): ${ms(scoped.ms)} (${count(scopedTotals.items)} items)`,
    );

    const overrides = await loadOverrides(engine.db, null);
    const naive: NaiveTotals = { items: 0, bytes: 0n };
    const naiveRun = await timed(async () => {
      for (const org of sample) await naivePreviewOrg(engine.db, org, overrides, asOf, naive);
    });
    // Its cost is per row (a query or two each), so it scales with the items, not the orgs.
    const extrapolated = naiveRun.ms * (allTotals.items / Math.max(1, naive.items));
    console.log(
      `  naive, the same ${count(sample.length)} orgs: ${ms(naiveRun.ms)} (${count(naive.items)} items; ${Math.round((naive.items / naiveRun.ms) * 1000)} items/s)`,
    );
    console.log(`  naive, all orgs (extrapolated by items): ${ms(extrapolated)}\n`);

    const singles: number[] = [];
    for (const org of everyNth(orgs, flags["one-org-runs"])) {
      const one = await timed(() => preview(engine, { orgIds: [org.id], categories: null }));
      planIds.push(one.value);
      singles.push(one.ms);
    }
    await dropPlans(engine, planIds.splice(0));

    verdict(
      `dry run (${workers}) / bare INSERT … SELECT, all orgs × all categories`,
      `${(all.ms / bareMs).toFixed(2)}×`,
      "≤ 2×",
      all.ms <= 2 * bareMs,
    );
    const sampleRatio = naiveRun.ms / scoped.ms;
    const allRatio = extrapolated / all.ms;
    verdict(
      "speed-up, all orgs (naive extrapolated)",
      `${allRatio.toFixed(1)}×`,
      "≥ 20×",
      allRatio >= 20,
    );
    verdict(
      `speed-up, ${sample.length} orgs (both measured)`,
      `${sampleRatio.toFixed(1)}×`,
      "≥ 20×",
      sampleRatio >= 20,
    );
    const p50 = percentile(singles, 50);
    verdict(`one-org preview p50 (${singles.length} orgs)`, ms(p50), "≤ 300 ms", p50 <= 300);
    console.log(
      `  one-org preview p95 / max: ${ms(percentile(singles, 95))} / ${ms(Math.max(...singles))}`,
    );
  } finally {
    await dropPlans(engine, planIds).catch(() => undefined);
    await close();
    await bench.stop();
  }
}

runCli(main);
