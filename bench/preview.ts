import type { Engine } from "../server/retention/deps";
import { loadOverrides } from "../server/retention/policy/org-windows";
import { openSeededBench } from "./lib/bench-db";
import { benchEngine, dropPlans, preview } from "./lib/engine";
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
 * the all-org ratio extrapolates the sample's time per item.
 */
async function main() {
  const flags = numericFlags({ "naive-orgs": 100, "one-org-runs": 20 });
  const bench = await openSeededBench();
  const { engine, close } = await benchEngine(bench.url);
  const planIds: string[] = [];
  try {
    header("bench:preview — dry run of every org and category", bench.where);
    const orgs = await engine.db.organization.findMany({
      select: { id: true, plan: true },
      orderBy: { id: "asc" },
    });

    const all = await timed(() => preview(engine, { orgIds: null, categories: null }));
    planIds.push(all.value);
    const allTotals = await planTotals(engine, all.value);
    await dropPlans(engine, planIds.splice(0));
    console.log(
      `  engine, ${count(orgs.length)} orgs × all categories: ${ms(all.ms)} (${count(allTotals.items)} items, ${bytes(allTotals.bytes)})`,
    );

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

    const asOf = new Date();
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
