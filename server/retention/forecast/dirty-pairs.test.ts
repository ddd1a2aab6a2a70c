import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forecastWorld, type ForecastWorld } from "@/test/forecast-world";
import { NOW } from "@/test/engine";
import { setOverride } from "../policy/overrides";
import { sql } from "../sql";
import { refreshDirtyPairs } from "./incremental";
import { lockForRefresh } from "./compute";
import { currentForecast, refreshForecast, type ForecastSnapshotRef } from "./snapshot";
import { forecastByDay } from "./upcoming";

let w: ForecastWorld;
beforeAll(async () => {
  w = await forecastWorld();
});
afterAll(() => w.t.close());

/** The days one org's artifacts fall due on, as the page reads them from the newest snapshot. */
async function dueDays(orgName: string) {
  const [s] = await w.t.engine.db.$queryRaw<{ id: number; as_of: Date }[]>(
    sql`SELECT id, as_of FROM forecast_snapshots ORDER BY id DESC LIMIT 1`,
  );
  const snapshot: ForecastSnapshotRef = {
    id: s?.id ?? 0,
    asOf: s?.as_of ?? NOW,
    amendedAt: null,
    refreshing: false,
  };
  const days = await forecastByDay(
    w.t.engine.db,
    snapshot,
    { horizonDays: 90, orgSearch: orgName },
    NOW,
  );
  return days.map((d) => `${d.day} ${d.items}`);
}

const keep = (orgId: number, days: number) =>
  setOverride(w.t.engine.db, w.t.engine.settings, {
    actor: w.admin,
    orgId,
    category: "ARTIFACTS",
    days,
    reason: "contract",
  });

/** Waits until some statement of another session waits for a lock. */
async function someoneWaits() {
  for (;;) {
    const [row] = await w.t.engine.db.$queryRaw<{ n: number }[]>(
      sql`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`,
    );
    if ((row?.n ?? 0) > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("dirty pairs", () => {
  it("a change made while an incremental refresh runs reaches the forecast with the next one", async () => {
    const first = await w.b.org("FREE");
    const second = await w.b.org("FREE");
    for (const org of [first, second]) await w.b.artifact(org.id, 20); // FREE keeps 30 days: due in 10
    await refreshForecast(w.t.engine.db, w.t.engine.settings, NOW);
    await keep(first.id, 60);

    // The refresh has taken its marks (the first org's) and stops on a row of
    // that org's forecast, held here, while the second org's override commits.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const holder = w.t.engine.db.$transaction(async (tx) => {
      await tx.$queryRaw(sql`
        SELECT 1 FROM forecast_days f JOIN organizations o ON o.id = f.org_id
        WHERE o.id = ${first.id} FOR UPDATE`);
      await held;
    });
    const refresh = refreshDirtyPairs(w.t.engine.db, w.t.engine.settings, NOW);
    await someoneWaits();
    await keep(second.id, 90);
    release();
    await holder;
    await refresh;
    expect(await dueDays(first.name)).toEqual(["2027-01-01 1"]);

    await refreshDirtyPairs(w.t.engine.db, w.t.engine.settings, NOW);
    expect(await dueDays(second.name)).toEqual(["2027-01-31 1"]);
  });

  it("a read that meets another quick refresh of the same pairs waits for it, and answers from the amended snapshot", async () => {
    const org = await w.b.org("FREE");
    await w.b.artifact(org.id, 20);
    // Enough orgs that one changed is amended in place, not refreshed whole.
    for (let i = 0; i < 4; i++) await w.b.org("PRO");
    await refreshForecast(w.t.engine.db, w.t.engine.settings, NOW);
    await keep(org.id, 60);

    // Another read's refresh holds the lock for a moment (as the page's other query would).
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked = () => {};
    const taken = new Promise<void>((resolve) => (locked = resolve));
    const other = w.t.engine.db.$transaction(async (tx) => {
      await lockForRefresh(tx, true);
      locked();
      await held;
    });
    await taken;
    const read = currentForecast(w.t.engine.db, w.t.engine.settings, NOW, () => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await other;
    const served = await read;
    expect(served.refreshing).toBe(false);
    expect(await dueDays(org.name)).toEqual(["2027-01-01 1"]);
  });
});
