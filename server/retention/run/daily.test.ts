import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { nextScheduledRun, runDailyPurge, scheduledDay } from "./daily";

let t: TestEngine;
const deliveries: TestEngine[] = [];
beforeAll(async () => {
  t = await createTestEngine({ settings: { batchSize: 20 } });
  // Ten function instances: each its own engine and queue connection, one database.
  for (let i = 0; i < 10; i++)
    deliveries.push(await createTestEngine({ database: t.database, settings: { batchSize: 20 } }));
});
afterAll(async () => {
  for (const d of deliveries) await d.close();
  await t.close();
});

describe("the daily schedule", () => {
  it("belongs each delivery to the latest 04:00 UTC", () => {
    expect(scheduledDay(new Date("2026-11-22T04:00:00Z"))).toBe("2026-11-22");
    expect(scheduledDay(new Date("2026-11-22T03:59:59Z"))).toBe("2026-11-21");
    expect(nextScheduledRun(new Date("2026-11-22T05:00:00Z")).toISOString()).toBe(
      "2026-11-23T04:00:00.000Z",
    );
  });

  it("is what vercel.json delivers: the cron route daily at 04:00 UTC", async () => {
    const vercel = JSON.parse(await readFile("vercel.json", "utf8")) as {
      crons: { path: string; schedule: string }[];
    };
    expect(vercel.crons).toContainEqual({ path: "/api/cron/retention", schedule: "0 4 * * *" });
  });

  it("10 concurrent deliveries, then a second wave while the first still works: one run, totals of a single run", async () => {
    const b = builders(t.engine.db, t.engine.store);
    for (let o = 0; o < 4; o++) {
      const org = await b.org(o % 2 ? "FREE" : "BASIC");
      for (let i = 0; i < 60; i++) await b.artifact(org.id, 20 + i * 3, { bytes: 7 });
      const env = await b.env(org.id);
      for (let i = 0; i < 30; i++) await b.driftCheck(org.id, env.id, i * 2, 0);
    }
    const deadline = () => Date.now() + 1_500;
    const firstWave = deliveries.map((d) => runDailyPurge(d.engine, deadline()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const secondWave = deliveries.map((d) => runDailyPurge(d.engine, deadline()));
    const results = await Promise.all([...firstWave, ...secondWave]);
    // Later deliveries finish planning the day if these twenty did not (a loaded machine).
    for (let n = 0; n < 100 && !(await t.engine.db.purgeRun.count()); n++)
      results.push(await runDailyPurge(t.engine, deadline()));

    const day = scheduledDay(NOW);
    const runs = await t.engine.db.purgeRun.findMany({ where: { trigger: "CRON" } });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.runKey).toBe(`daily:${day}`);
    expect(await t.engine.db.purgePlan.count({ where: { trigger: "CRON" } })).toBe(1);
    expect(results.filter((r) => !r.joined)).toHaveLength(1);
    // A delivery that found every step in another's hands answers with the day's plan as it was.
    expect(results.every((r) => r.progress?.id === runs[0]?.id || r.planning !== null)).toBe(true);

    const run = await workToEnd(t.engine, runs[0]?.id ?? "");
    const planned = await t.engine.db.planItem.count({ where: { planId: run.planId } });
    const gone = (await t.engine.db.manifestBatch.findMany({ where: { runId: run.id } })).flatMap(
      (b) => b.itemIds,
    ).length;
    console.log(
      `cron: 20 deliveries (two waves of 10) joined 1 run; ${run.deleted} of ${planned} planned items deleted`,
    );
    expect(run.status).toBe("SUCCEEDED");
    expect(Number(run.deleted)).toBe(planned);
    expect(gone).toBe(planned);
    const totals = await t.engine.db.purgeTotal.aggregate({
      _sum: { deleted: true, bytesFreed: true },
    });
    expect(Number(totals._sum.deleted)).toBe(planned);
    expect(totals._sum.bytesFreed).toBe(run.bytesFreed);
    // Each task keeps how long its longest batch held its rows' locks.
    const worked = await t.engine.db.purgeTask.findMany({
      where: { runId: run.id, batches: { gt: 0 } },
    });
    expect(worked.length).toBeGreaterThan(0);
    expect(worked.every((task) => task.longestBatchMs > 0)).toBe(true);
  });
});
