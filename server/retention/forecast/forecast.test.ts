import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forecastWorld, type ForecastWorld } from "@/test/forecast-world";
import { NOW, workToEnd } from "@/test/engine";
import { confirmPlan } from "../plan/confirm";
import { dueItemsOf } from "./due-items";
import { forecastByDay, upcomingByOrg, type ForecastFilter } from "./upcoming";
import { currentForecast, refreshForecast, type Background } from "./snapshot";
import { placeHold, releaseHold } from "../policy/holds";
import { placePin, removePin } from "../policy/pins";
import { setOverride } from "../policy/overrides";
import { previewPurge } from "../plan/preview";

let t: ForecastWorld["t"];
let b: ForecastWorld["b"];
let admin: ForecastWorld["admin"];
beforeAll(async () => {
  ({ t, b, admin } = await forecastWorld());
});
afterAll(() => t.close());

const DAY = 86_400_000;
const inline: Background = () => {
  throw new Error("a quick refresh runs inline, never in the background");
};

/**
 * Rows the SaaS writes reach the forecast with its next full refresh (a few
 * minutes); the tests, on a frozen clock, ask for one at once.
 */
const newRowsArrived = () =>
  refreshForecast(t.engine.db, t.engine.settings, NOW, { newerThan: Number.MAX_SAFE_INTEGER });

/** The calendar of one org (its name is unique), as the page reads it at `now`. */
async function calendar(orgName: string, filter: Partial<ForecastFilter> = {}, now = NOW) {
  const snapshot = await currentForecast(t.engine.db, t.engine.settings, now, inline);
  const days = await forecastByDay(
    t.engine.db,
    snapshot,
    { horizonDays: 90, orgSearch: orgName, ...filter },
    now,
  );
  return days.map((d) => ({ day: d.day, category: d.category, items: d.items }));
}

describe("the forecast", () => {
  it("counts each item on the day it falls due, today for what is overdue, within the horizon", async () => {
    const free = await b.org("FREE");
    await b.artifact(free.id, 100); // 70 days overdue: today
    await b.artifact(free.id, 31); // a day overdue: today
    await b.artifact(free.id, 28); // due in 2 days
    const pro = await b.org("PRO");
    await b.artifact(pro.id, 300); // PRO keeps 365 days: due in 65 days
    await b.artifact(pro.id, 10); // due in 355 days: beyond every horizon
    await newRowsArrived();

    expect(await calendar(free.name)).toEqual([
      { day: "2026-11-22", category: "ARTIFACTS", items: 2 },
      { day: "2026-11-24", category: "ARTIFACTS", items: 1 },
    ]);
    expect(await calendar(pro.name)).toEqual([
      { day: "2027-01-26", category: "ARTIFACTS", items: 1 },
    ]);
    expect(await calendar(pro.name, { horizonDays: 30 })).toEqual([]);
    expect(await calendar(free.name, { from: "2026-11-23" })).toEqual([
      { day: "2026-11-24", category: "ARTIFACTS", items: 1 },
    ]);

    const snapshot = await currentForecast(t.engine.db, t.engine.settings, NOW, inline);
    const table = await upcomingByOrg(t.engine.db, snapshot, { horizonDays: 90 }, NOW, {
      offset: 0,
      limit: 100,
      sort: { by: "org", desc: false },
    });
    expect(table.rows.find((r) => r.orgId === free.id)).toMatchObject({
      category: "ARTIFACTS",
      items: 3,
      bytes: 300n,
      firstDay: "2026-11-22",
      lastDay: "2026-11-24",
    });
  });

  it("moves a pinned item to its pin's date, or out of the horizon, until the pin is removed", async () => {
    const org = await b.org("BASIC"); // artifacts 90 days, pinned up to 360 after creation
    const soon = await b.artifact(org.id, 100); // overdue: today
    const later = await b.artifact(org.id, 100);
    await b.artifact(org.id, 100);
    await newRowsArrived();
    const pin = (artifactId: number, until: string) =>
      placePin(t.engine.db, {
        actor: admin,
        target: { scope: "ARTIFACT", artifactId },
        until,
        reason: "customer dispute",
        env: t.engine.settings.policy,
        now: NOW,
      });
    const first = await pin(soon.id, "2026-12-12");
    await pin(later.id, "2027-03-01"); // past the 90 days ahead
    expect(await calendar(org.name)).toEqual([
      { day: "2026-11-22", category: "ARTIFACTS", items: 1 },
      { day: "2026-12-12", category: "ARTIFACTS", items: 1 },
    ]);
    const items = await dueItemsOf(
      t.engine.db,
      t.engine.settings,
      { orgId: org.id, category: "ARTIFACTS", horizonDays: 90, offset: 0, limit: 10 },
      NOW,
    );
    expect(items.items.find((i) => i.itemId === soon.id)).toMatchObject({
      eligibleAt: new Date("2026-12-12T00:00:00Z"),
      reason: expect.stringMatching(
        /^pinned until 2026-12-12; its window ended 2026-.*: BASIC plan, artifacts 90 days$/,
      ),
    });
    await removePin(t.engine.db, { actor: admin, pinId: first.id, now: NOW });
    expect(await calendar(org.name)).toEqual([
      { day: "2026-11-22", category: "ARTIFACTS", items: 2 },
    ]);
  });

  it("follows a legal hold, an override and a finished run on the next read", async () => {
    const org = await b.org("FREE");
    await b.artifact(org.id, 100);
    await b.artifact(org.id, 20); // due in 10 days
    await newRowsArrived();
    expect(await calendar(org.name, { horizonDays: 30 })).toHaveLength(2);

    const hold = await placeHold(t.engine.db, {
      actor: admin,
      target: { scope: "ORG", orgId: org.id },
      reason: "litigation",
    });
    expect(await calendar(org.name)).toEqual([]);
    await releaseHold(t.engine.db, {
      actor: admin,
      holdId: hold.id,
      reason: "the matter is closed",
    });
    expect(await calendar(org.name, { horizonDays: 30 })).toHaveLength(2);

    // FREE artifacts may be kept up to 90 days: the 20-day-old one is then due in 70.
    await setOverride(t.engine.db, t.engine.settings, {
      actor: admin,
      orgId: org.id,
      category: "ARTIFACTS",
      days: 90,
      reason: "contract",
    });
    expect(await calendar(org.name)).toEqual([
      { day: "2026-11-22", category: "ARTIFACTS", items: 1 },
      { day: "2027-01-31", category: "ARTIFACTS", items: 1 },
    ]);

    const planId = await previewPurge(t.engine, {
      scope: { orgIds: [org.id], categories: ["ARTIFACTS"] },
      trigger: "OPERATOR",
      actor: admin,
    });
    const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
    const phrase = (plan.guardrails as { confirmPhrase: string | null }).confirmPhrase;
    const { runId } = await confirmPlan(t.engine, {
      planId,
      actor: admin,
      acknowledgement: phrase,
    });
    expect((await workToEnd(t.engine, runId)).status).toBe("SUCCEEDED");
    expect(await calendar(org.name)).toEqual([
      { day: "2027-01-31", category: "ARTIFACTS", items: 1 },
    ]);
  });

  it("serves a stale fleet-wide forecast while a slow refresh runs in the background", async () => {
    const org = await b.org("FREE");
    await b.artifact(org.id, 100);
    await newRowsArrived();
    const first = await currentForecast(t.engine.db, t.engine.settings, NOW, inline);
    // As if the last refresh had taken a minute, as at fleet scale.
    await t.engine.db.forecastSnapshot.update({
      where: { id: first.id },
      data: { computedMs: 60_000 },
    });
    await b.artifact(org.id, 29); // due tomorrow, not in the old snapshot

    const tomorrow = new Date(NOW.getTime() + DAY);
    const queued: (() => Promise<unknown>)[] = [];
    const stale = await currentForecast(t.engine.db, t.engine.settings, tomorrow, (work) =>
      queued.push(work),
    );
    expect(stale).toMatchObject({ id: first.id, refreshing: true });
    expect(queued).toHaveLength(1);
    // What the old snapshot saw due yesterday is due today.
    expect(
      await forecastByDay(t.engine.db, stale, { horizonDays: 7, orgSearch: org.name }, tomorrow),
    ).toMatchObject([{ day: "2026-11-23", items: 1 }]);

    await queued[0]?.();
    const fresh = await currentForecast(t.engine.db, t.engine.settings, tomorrow, inline);
    expect(fresh.id).toBeGreaterThan(first.id);
    expect(fresh.refreshing).toBe(false);
    expect(
      await forecastByDay(t.engine.db, fresh, { horizonDays: 7, orgSearch: org.name }, tomorrow),
    ).toMatchObject([{ day: "2026-11-23", items: 2 }]);
    expect(await t.engine.db.forecastSnapshot.count()).toBe(1);
  });

  it("the fleet-wide summaries agree with the org × day rows they sum, for every horizon", async () => {
    for (const plan of ["FREE", "BASIC", "PRO"] as const) {
      const org = await b.org(plan);
      const env = await b.env(org.id);
      for (const days of [1, 5, 29, 31, 75, 120, 200, 400]) {
        await b.artifact(org.id, days);
        await b.driftCheck(org.id, env.id, days / 8);
      }
    }
    await newRowsArrived();
    const snapshot = await currentForecast(t.engine.db, t.engine.settings, NOW, inline);
    let compared = 0;
    for (const horizonDays of [7, 30, 90]) {
      for (const [plans, page] of [
        [null, { offset: 0, limit: 1000, sort: { by: "org", desc: false } }],
        [["FREE"], { offset: 0, limit: 1000, sort: { by: "bytes", desc: true } }],
        [null, { offset: 2, limit: 3, sort: { by: "items", desc: false } }],
      ] as const) {
        const summed = { horizonDays, plans: plans && [...plans] };
        // Every org name has a space: the same fleet, read through its org × day rows.
        const rows = { ...summed, orgSearch: " " };
        const calendarSummed = await forecastByDay(t.engine.db, snapshot, summed, NOW);
        expect(calendarSummed).toEqual(await forecastByDay(t.engine.db, snapshot, rows, NOW));
        const tableSummed = await upcomingByOrg(t.engine.db, snapshot, summed, NOW, page);
        expect(tableSummed).toEqual(await upcomingByOrg(t.engine.db, snapshot, rows, NOW, page));
        compared += calendarSummed.length + tableSummed.rows.length;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });
});
