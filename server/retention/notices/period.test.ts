import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "@/prisma/seed/random";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged } from "@/test/purge";
import { startReceiver, type Receiver } from "@/test/notices";
import type { Engine } from "../deps";
import { explainItem } from "../forecast/explain";
import { refreshForecast } from "../forecast/snapshot";
import { previewPurge } from "../plan/preview";
import { scheduledDay } from "../run/daily";
import { sql } from "../sql";
import { noticeLog } from "../../console/notices";
import { isoDay } from "../../calendar-day";
import { workExports } from "../exports/exports";
import { composeNotices } from "./compose";
import { sendNotices } from "./deliver";
import { saveNoticeSettings } from "./settings";

let t: TestEngine;
let receiver: Receiver;
beforeAll(async () => {
  t = await createTestEngine();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

const DAY = 86_400_000;
const at = (days: number): Engine => ({
  ...t.engine,
  now: () => new Date(NOW.getTime() + days * DAY),
});

/** The daily notice of day `d`: written, then sent. */
async function tell(d: number) {
  await composeNotices(at(d), scheduledDay(at(d).now()), Date.now() + 30_000);
  await sendNotices(at(d), Date.now() + 30_000);
}

/** What a dry run of ERRORS at day `d` would purge, per org. */
async function eligible(d: number, orgIds: number[]) {
  const planId = await previewPurge(at(d), {
    scope: { orgIds, categories: ["ERRORS"] },
    trigger: "OPERATOR",
    actor: "system",
  });
  const items = await t.engine.db.planItem.findMany({ where: { planId } });
  return { planId, items };
}

/**
 * Items of the plan that no notice told at least its lead time before `asOf`:
 * an item covered by a notice's [from, to) whose first sent delivery plus its
 * lead days is at or before asOf is promised; any other is a breach.
 */
async function unpromised(planId: string, orgId: number, asOf: Date) {
  return t.engine.db.$queryRaw<{ item_id: number }[]>(sql`
    SELECT p.item_id FROM plan_items p JOIN errors e ON e.id = p.item_id
    WHERE p.plan_id = ${planId} AND p.org_id = ${orgId}
      AND NOT EXISTS (
        SELECT 1 FROM notice_categories nc JOIN notices n ON n.id = nc.notice_id
        WHERE nc.org_id = p.org_id AND nc.category = 'ERRORS'
          AND e.resolved_at >= coalesce(nc.watermark_from, '-infinity') AND e.resolved_at < nc.watermark_to
          AND (SELECT min(sent_at) FROM notice_deliveries d WHERE d.notice_id = n.id AND d.status = 'SENT')
              + make_interval(days => n.lead_days) <= ${asOf}::timestamptz)`);
}

/**
 * The forecast on day 0, just after the notice: the AGENCY org's two told
 * errors fall due 7 days after it, its untold one on its own day (11.5 days
 * on, later than a notice today allows); the FREE org's on the policy's days.
 */
async function forecastMovesTheDays(agencyId: number, freeId: number) {
  const snapshotId = await refreshForecast(t.engine.db, t.engine.settings, NOW, {
    newerThan: Number.MAX_SAFE_INTEGER,
  });
  const days = async (orgId: number) =>
    (
      await t.engine.db.forecastDay.findMany({
        where: { snapshotId: snapshotId!, orgId, category: "ERRORS" },
        orderBy: { day: "asc" },
      })
    ).map((f) => [Math.round((f.day.getTime() - Date.parse("2026-11-22")) / DAY), f.items]);
  expect(await days(agencyId)).toEqual([
    [7, 2],
    [12, 1],
  ]);
  expect(await days(freeId)).toEqual([
    [0, 1],
    [4, 1],
    [12, 1],
  ]);
}

describe("the notice period", () => {
  it("holds an AGENCY org's items until its lead time after it was told, never sooner; FREE and an org that does not hear are not held", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const agency = await b.org("AGENCY");
    const free = await b.org("FREE");
    const deaf = await b.org("AGENCY");
    // Errors are kept 30 days on every plan: one overdue, one due in 4 days, one in 11.5.
    const mine: { id: number }[] = [];
    for (const org of [agency, free, deaf])
      for (const days of [40, 26, 18.5]) {
        const row = await b.error(org.id, days);
        if (org === agency) mine.push(row);
      }
    const { newSecret } = await saveNoticeSettings(
      t.engine,
      { id: 1 },
      {
        orgId: agency.id,
        webhookUrl: receiver.url,
        recipients: [],
        leadDays: 7,
      },
    );
    receiver.secret = newSecret!.secret;
    // The FREE org hears by email (logged by the test channels): told, but its plan promises no period.
    await saveNoticeSettings(
      t.engine,
      { id: 1 },
      {
        orgId: free.id,
        webhookUrl: null,
        recipients: ["ops@free.test"],
        leadDays: 7,
      },
    );
    const orgs = [agency.id, free.id, deaf.id];
    const count = (items: { orgId: number }[], orgId: number) =>
      items.filter((i) => i.orgId === orgId).length;

    // Before any notice: the AGENCY org that hears has nothing eligible; the others their overdue error.
    const before = await eligible(0, orgs);
    expect([agency, free, deaf].map((o) => count(before.items, o.id))).toEqual([0, 1, 1]);
    const entry = await t.engine.db.planEntry.findMany({
      where: { planId: before.planId, orgId: agency.id },
    });
    expect(entry).toEqual([]);

    // Told on day 0 of the two errors due within 7 days; every day after, the daily notice runs.
    for (let d = 0; d <= 16; d++) {
      await tell(d);
      if (d === 0) {
        await forecastMovesTheDays(agency.id, free.id);
        // The console's delivery log shows the first due day the tenant read: the period's end.
        const [body] = [...receiver.notices.values()].filter((n) => n.org.id === agency.id);
        const log = await noticeLog(t.engine.db, { orgId: agency.id, page: 1, pageSize: 5 });
        expect(body?.noticePeriodUntil).toBe(isoDay(at(7).now()));
        expect(log.rows.map((r) => [r.id, r.firstDueDate])).toEqual([
          [body?.id, body?.firstDueDate],
        ]);
      }
      const { planId, items } = await eligible(d, orgs);
      expect(await unpromised(planId, agency.id, at(d).now()), `day ${d}`).toEqual([]);
      if (d === 6) expect(count(items, agency.id)).toBe(0);
      if (d === 7) expect(count(items, agency.id)).toBe(2);
    }
    // The third error (due on day 11.5) was told on day 5, its first notice within 7 days of it: it goes on day 12, not before.
    const d11 = await eligible(11, orgs);
    expect(count(d11.items, agency.id)).toBe(2);
    // "When and why" says so: the policy's day, then the notice period's.
    const why = await explainItem(
      t.engine.db,
      t.engine.settings,
      "ERRORS",
      mine[2]!.id,
      at(8).now(),
    );
    expect(why).toMatchObject({ status: "scheduled" });
    expect(why.text).toMatch(
      /^will be eligible on \d{4}-\d{2}-\d{2}: .*, then notice period until \d{4}-\d{2}-\d{2} \(told /,
    );
    expect(why.eligibleAt?.toISOString().slice(0, 10)).toBe(
      at(12).now().toISOString().slice(0, 10),
    );
    const d12 = await eligible(12, orgs);
    expect(count(d12.items, agency.id)).toBe(3);

    // The run executes what the preview allowed: day 7 deletes exactly the two told items.
    const plan = await eligible(7, [agency.id]);
    const { runId } = await confirmAcknowledged(at(7), plan.planId);
    await workToEnd(at(7), runId);
    expect(await t.engine.db.capturedError.count({ where: { orgId: agency.id } })).toBe(1);
  });

  it("keeps what a notice told of after the org's plan stops promising a period or its settings are cleared, and what an unbuilt export of a notice holds until it is built", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const downgraded = await b.org("AGENCY");
    const cleared = await b.org("AGENCY");
    const free = await b.org("FREE");
    const overdue = new Map<number, number>();
    for (const org of [downgraded, cleared, free]) {
      overdue.set(org.id, (await b.error(org.id, 40)).id);
      await b.error(org.id, 26);
    }
    for (const org of [downgraded, cleared, free])
      await saveNoticeSettings(
        t.engine,
        { id: 1 },
        { orgId: org.id, webhookUrl: null, recipients: [`ops${org.id}@example.test`], leadDays: 7 },
      );
    const orgs = [downgraded.id, cleared.id, free.id];
    const counts = async (d: number) => {
      const { items } = await eligible(d, orgs);
      return orgs.map((id) => items.filter((i) => i.orgId === id).length);
    };
    const why = async (orgId: number, d: number) =>
      (
        await explainItem(
          t.engine.db,
          t.engine.settings,
          "ERRORS",
          overdue.get(orgId)!,
          at(d).now(),
        )
      ).text;

    // Told on day 0 of both errors. The FREE org's plan promises no period, but
    // its notice links to an export not built yet: its overdue error waits for it.
    await tell(0);
    expect(await counts(1)).toEqual([0, 0, 0]);
    expect(await why(free.id, 1)).toMatch(
      /^waits for the export its notice links to, being built, and no later than /,
    );
    await workExports(at(1));
    expect(await t.engine.db.export.count({ where: { orgId: free.id, status: "READY" } })).toBe(1);
    expect(await counts(1)).toEqual([0, 0, 1]);

    // The promise was made: a plan without a period, or no settings, does not take it back.
    await t.engine.db.organization.update({ where: { id: downgraded.id }, data: { plan: "PRO" } });
    await saveNoticeSettings(
      t.engine,
      { id: 1 },
      { orgId: cleared.id, webhookUrl: null, recipients: [], leadDays: 7 },
    );
    expect(await counts(6)).toEqual([0, 0, 2]);
    expect(await why(downgraded.id, 6)).toMatch(/then notice period until .* \(told /);
    expect(await why(cleared.id, 6)).toMatch(/then notice period until .* \(told /);
    expect(await counts(7)).toEqual([2, 2, 2]);
  });

  it("random lead times, ages and missed days: no item is ever eligible before told + lead days, and every one goes in the end", async () => {
    const seed = Number(process.env.LETHE_SEED ?? Date.now() % 100_000);
    const random = createRandom(seed);
    const b = builders(t.engine.db, t.engine.store);
    const orgs = [];
    for (let i = 0; i < 3; i++) {
      const org = await b.org(random.pick(["AGENCY", "ENTERPRISE"] as const));
      const lead = random.int(1, 30);
      await saveNoticeSettings(
        t.engine,
        { id: 1 },
        {
          orgId: org.id,
          webhookUrl: null,
          recipients: [`ops${i}@example.test`],
          leadDays: lead,
        },
      );
      for (let k = 0; k < 6; k++) await b.error(org.id, random.int(0, 60) + random.int(0, 9) / 10);
      orgs.push(org.id);
    }
    const start = 20;
    for (let d = start; d <= start + 70; d += random.int(1, 4)) {
      // The cron missed the days skipped over: no notice was written on them.
      await tell(d);
      const { planId } = await eligible(d, orgs);
      for (const orgId of orgs)
        expect(await unpromised(planId, orgId, at(d).now()), `seed ${seed}, day ${d}`).toEqual([]);
    }
    const end = start + 100;
    await tell(end);
    const { items } = await eligible(end, orgs);
    expect(items.length, `seed ${seed}`).toBe(18);
  });
});
