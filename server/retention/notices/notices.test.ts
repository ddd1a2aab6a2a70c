import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { startMailbox, startReceiver, type Mailbox, type Receiver } from "@/test/notices";
import { orgHistory } from "../../console/org-history";
import type { Engine } from "../deps";
import { runDailyPurge, scheduledDay } from "../run/daily";
import { checkExportLink, exportLinkKey } from "../exports/link";
import { composeNotices } from "./compose";
import { sendNotices } from "./deliver";
import { saveNoticeSettings } from "./settings";
import { refreshDirtyPairs } from "../forecast/incremental";
import { refreshForecast } from "../forecast/snapshot";
import { renderMetrics } from "../evidence/metrics";

let t: TestEngine;
let receiver: Receiver;
let failing: Receiver;
let mailbox: Mailbox;
beforeAll(async () => {
  t = await createTestEngine();
  [receiver, failing, mailbox] = await Promise.all([
    startReceiver(),
    startReceiver(),
    startMailbox(),
  ]);
  failing.status = 500;
});
afterAll(async () => {
  await Promise.all([receiver.close(), failing.close(), mailbox.close()]);
  await t.close();
});

const DAY = 86_400_000;
const at = (days: number): Engine => ({
  ...t.engine,
  now: () => new Date(NOW.getTime() + days * DAY),
  notices: { ...t.engine.notices!, email: { smtpUrl: mailbox.smtpUrl } },
});
const admin = { id: 1 };

/** Drains the notice queue until nothing is waiting or retrying (each retry's backoff elapsing). */
async function sendAll(engine: Engine) {
  for (let round = 0; round < 40; round++) {
    await sendNotices(engine, Date.now() + 20_000);
    const open = await engine.db.noticeDelivery.count({ where: { status: "PENDING" } });
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("deliveries still pending");
}

describe("the daily notice", () => {
  it("tells each org once per set of items, across overlapping deliveries and days; a failing endpoint is retried, then FAILED, without holding back another org", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const told = await b.org("FREE", "Acme <Tenant> & Co");
    const broken = await b.org("FREE");
    const silent = await b.org("FREE");
    // FREE keeps artifacts 30 days: 25 days old falls due in 5 (within 7), 10 days old in 20.
    const soon = await b.artifact(told.id, 25, { bytes: 300 });
    await b.artifact(told.id, 10);
    // 22.5 days old: due in 7.5 days, so told tomorrow, not today.
    await b.artifact(told.id, 22.5);
    await b.artifact(broken.id, 26);
    await b.artifact(silent.id, 29);
    const { newSecret } = await saveNoticeSettings(t.engine, admin, {
      orgId: told.id,
      webhookUrl: receiver.url,
      recipients: ["ops@acme.test"],
      leadDays: 7,
    });
    receiver.secret = newSecret!.secret;
    const other = await saveNoticeSettings(t.engine, admin, {
      orgId: broken.id,
      webhookUrl: failing.url,
      recipients: [],
      leadDays: 7,
    });
    failing.secret = other.newSecret!.secret;

    // Two deliveries of the same day at once: one notice per org.
    const day = scheduledDay(NOW);
    const reports = await Promise.all([
      composeNotices(at(0), day, Date.now() + 30_000),
      composeNotices(at(0), day, Date.now() + 30_000),
    ]);
    expect(reports.reduce((n, r) => n + r.notices, 0)).toBe(2);
    await sendAll(at(0));

    expect([...receiver.notices.values()]).toEqual([
      expect.objectContaining({
        type: "retention.notice",
        org: { id: told.id, name: "Acme <Tenant> & Co" },
        leadDays: 7,
        firstDueDate: new Date(soon.createdAt.getTime() + 30 * DAY).toISOString().slice(0, 10),
        categories: [expect.objectContaining({ category: "ARTIFACTS", items: 1, bytes: 300 })],
        export: null,
      }),
    ]);
    expect(mailbox.messages).toHaveLength(1);
    expect(mailbox.messages[0]?.to).toEqual(["ops@acme.test"]);
    expect(mailbox.messages[0]?.raw).toContain("Subject: Lethe: 1 item of Acme <Tenant> & Co will");
    expect(mailbox.messages[0]?.raw).toContain("Acme &lt;Tenant&gt; &amp; Co");

    // The broken endpoint: three attempts (the test channels' limit), then FAILED with why.
    const failed = await t.engine.db.noticeDelivery.findFirstOrThrow({
      where: { notice: { orgId: broken.id } },
    });
    expect(failed).toMatchObject({
      status: "FAILED",
      attempts: 3,
      lastError: "the endpoint answered HTTP 500",
    });
    expect(failing.requests).toBe(3);
    expect((await renderMetrics(t.engine.db)).body).toContain(
      'retention_notice_deliveries{status="FAILED"} 1',
    );
    expect(await t.engine.db.notice.count({ where: { orgId: silent.id } })).toBe(0);

    // The next day: only what newly falls due is told; the item told yesterday never again.
    await composeNotices(at(1), scheduledDay(at(1).now()), Date.now() + 30_000);
    await sendAll(at(1));
    const bodies = [...receiver.notices.values()];
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.categories).toEqual([
      expect.objectContaining({ category: "ARTIFACTS", items: 1 }),
    ]);
    expect(receiver.requests).toBe(2);

    // The org's history lists both, newest first, with how each channel fared.
    const history = await orgHistory(t.engine.db, {
      orgId: told.id,
      kinds: ["notices"],
      now: NOW,
      limit: 10,
    });
    expect(history.entries.map((e) => e.kind === "notice" && [e.items, e.deliveries])).toEqual([
      [
        1n,
        [
          { channel: "WEBHOOK", status: "SENT" },
          { channel: "EMAIL", status: "SENT" },
        ],
      ],
      [
        1n,
        [
          { channel: "WEBHOOK", status: "SENT" },
          { channel: "EMAIL", status: "SENT" },
        ],
      ],
    ]);

    // Days later with nothing new: no notice at all.
    await composeNotices(at(3), scheduledDay(at(3).now()), Date.now() + 30_000);
    await sendAll(at(3));
    expect(receiver.requests).toBe(2);
  });

  it("signs so that the receiver's library verifies the body, and refuses it tampered", async () => {
    const last = receiver.last!;
    const verify = (body: string) =>
      new Webhook(receiver.secret!).verify(body, last.headers as Record<string, string>);
    expect(verify(last.body)).toMatchObject({ type: "retention.notice" });
    const tampered = last.body.replace(/"items":1/, '"items":0');
    expect(tampered).not.toBe(last.body);
    expect(() => verify(tampered)).toThrow();
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(24, 1).toString("base64")}`).verify(
        last.body,
        last.headers as Record<string, string>,
      ),
    ).toThrow();
  });
  it("links each notice to one export of what it tells, shared by its webhook and its email", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("FREE");
    await b.artifact(org.id, 26, { bytes: 40 });
    const { newSecret } = await saveNoticeSettings(t.engine, admin, {
      orgId: org.id,
      webhookUrl: receiver.url,
      recipients: ["legal@exported.test"],
      leadDays: 7,
    });
    receiver.secret = newSecret!.secret;
    const linked: Engine = {
      ...at(0),
      exportLinks: { key: exportLinkKey("notice test secret"), baseUrl: "https://lethe.example" },
    };
    await composeNotices(linked, scheduledDay(NOW), Date.now() + 30_000);
    await sendAll(linked);

    const notice = await t.engine.db.notice.findFirstOrThrow({ where: { orgId: org.id } });
    const exports = await t.engine.db.export.findMany({ where: { orgId: org.id } });
    expect(exports).toEqual([
      expect.objectContaining({ noticeId: notice.id, categories: ["ARTIFACTS"], withinDays: 7 }),
    ]);
    const body = receiver.notices.get(notice.id);
    expect(body?.export).toEqual({
      id: String(exports[0]!.id),
      url: expect.stringMatching(
        `^https://lethe.example/api/exports/${exports[0]!.id}/download\\?`,
      ),
      expiresAt: exports[0]!.expiresAt.toISOString(),
    });
    const q = new URL(body!.export!.url).searchParams;
    expect(
      checkExportLink(
        linked,
        exports[0]!.id,
        { expires: q.get("expires"), signature: q.get("signature") },
        exports[0]!.expiresAt,
      ),
    ).toBe("valid");
    const email = mailbox.messages.find((m) => m.to.includes("legal@exported.test"));
    expect(email?.raw).toContain(`/api/exports/${exports[0]!.id}/download`);
  });

  it("is exported by the cron delivery itself: no worker runs, yet the linked archive is built", async () => {
    const d = await createTestEngine({ now: () => NOW });
    try {
      const org = await builders(d.engine.db, d.engine.store).org("FREE");
      await builders(d.engine.db, d.engine.store).artifact(org.id, 26, { bytes: 40 });
      await saveNoticeSettings(d.engine, admin, {
        orgId: org.id,
        webhookUrl: receiver.url,
        recipients: [],
        leadDays: 7,
      });
      const cron: Engine = {
        ...d.engine,
        exportLinks: { key: exportLinkKey("notice test secret"), baseUrl: "https://lethe.example" },
      };
      const built = () =>
        d.engine.db.export.findFirst({ where: { orgId: org.id, status: "READY" } });
      for (let n = 0; n < 20 && !(await built()); n++)
        await runDailyPurge(cron, Date.now() + 10_000);
      const archive = await built();
      expect(archive).toMatchObject({
        noticeId: expect.any(String),
        objectKey: expect.any(String),
      });
      expect(await d.engine.store.head(archive?.objectKey ?? "")).not.toBeNull();
    } finally {
      await d.close();
    }
  });

  it("moves its items' day in the forecast once told, without waiting for the next full refresh", async () => {
    const b = builders(t.engine.db, t.engine.store);
    // AGENCY promises a notice period: its items go no sooner than the lead time after the notice.
    const org = await b.org("AGENCY");
    await b.artifact(org.id, 400, { bytes: 40 });
    await saveNoticeSettings(t.engine, admin, {
      orgId: org.id,
      webhookUrl: null,
      recipients: ["ops@forecast.test"],
      leadDays: 7,
    });
    const days = async (snapshotId: number | null) =>
      (
        await t.engine.db.forecastDay.findMany({
          where: { snapshotId: snapshotId ?? 0, orgId: org.id, category: "ARTIFACTS" },
        })
      ).map((d) => d.day.toISOString().slice(0, 10));
    const full = await refreshForecast(t.engine.db, t.engine.settings, NOW, {
      newerThan: Number.MAX_SAFE_INTEGER,
    });
    // Not told yet: the earliest a notice written today allows.
    expect(await days(full)).toEqual(["2026-11-29"]);

    await composeNotices(at(3), scheduledDay(at(3).now()), Date.now() + 30_000);
    await sendAll(at(3));
    const amended = await refreshDirtyPairs(t.engine.db, t.engine.settings, NOW);
    expect(await days(amended)).toEqual(["2026-12-02"]);
  });
});
