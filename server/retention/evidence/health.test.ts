import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { retentionHealth } from "./health";
import { renderMetrics } from "./metrics";
import { runDailyPurge } from "../run/daily";

const HOUR = 3_600_000;
let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(() => t.close());

const staleAt = async (at: number) => (await retentionHealth(t.engine.db, new Date(at))).stale;

describe("the daily purge's health (the Overview's red banner, /api/health)", () => {
  it("a new deployment is not late before its first daily purge was due; 25 hours on, it is", async () => {
    const [migrated] = await t.engine.db.$queryRaw<{ at: Date }[]>`
      SELECT min(finished_at) AS at FROM _prisma_migrations`;
    const since = migrated?.at.getTime() ?? 0;
    expect(await staleAt(since + 24 * HOUR)).toBe(false);
    expect(await staleAt(since + 26 * HOUR)).toBe(true);
  });

  it("is late 25 hours after the last successful daily purge; an operator's purge does not count", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("FREE");
    await b.artifact(org.id, 40);
    const daily = await runDailyPurge(t.engine, Date.now() + 5_000);
    const run = await workToEnd(t.engine, daily.progress?.id ?? "");
    expect(run.status).toBe("SUCCEEDED");
    const succeeded = run.finishedAt?.getTime() ?? 0;
    expect(await staleAt(succeeded + 24 * HOUR)).toBe(false);
    expect(await staleAt(succeeded + 26 * HOUR)).toBe(true);

    await b.artifact(org.id, 41);
    const admin = await b.user("ADMIN");
    const { run: manual } = await purge(
      t.engine,
      { orgIds: [org.id], categories: ["ARTIFACTS"] },
      admin,
    );
    expect(manual.status).toBe("SUCCEEDED");
    expect(await staleAt((manual.finishedAt?.getTime() ?? 0) + 26 * HOUR)).toBe(true);
  });

  it("says the day is being planned, not missing, while its plan's steps are worked; /api/metrics counts them", async () => {
    const nextDay = await createTestEngine({
      database: t.database,
      now: () => new Date(NOW.getTime() + 24 * HOUR),
    });
    try {
      // A delivery with no time left: it starts the day's plan and works nothing.
      const first = await runDailyPurge(nextDay.engine, Date.now());
      expect(first.progress).toBeNull();
      const health = await retentionHealth(t.engine.db, nextDay.engine.now());
      expect(health.planning).toMatchObject({ stepsDone: 0, runKey: "daily:2026-11-23" });
      const total = health.planning?.stepsTotal ?? 0;
      expect(total).toBeGreaterThan(1);
      const { body } = await renderMetrics(t.engine.db);
      expect(body).toContain(`retention_daily_planning_steps{state="total"} ${total}`);

      const next = await runDailyPurge(nextDay.engine, Date.now() + 20_000);
      expect(next.progress?.status).toBe("SUCCEEDED");
      expect((await retentionHealth(t.engine.db, nextDay.engine.now())).planning).toBeNull();
      expect((await renderMetrics(t.engine.db)).body).toContain(
        `retention_daily_planning_steps{state="total"} 0`,
      );
    } finally {
      await nextDay.close();
    }
  });
});
