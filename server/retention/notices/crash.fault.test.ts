import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { builders } from "@/test/builders";
import { workThenDie } from "@/test/crash-worker";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { startReceiver, type Receiver } from "@/test/notices";
import { runDailyPurge } from "../run/daily";
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

/** Polls `done` every 50 ms for up to `ms`; fails the test after that. */
async function until(done: () => Promise<boolean> | boolean, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error("gave up waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a notice delivery killed mid-send", () => {
  it("is resumed by two overlapping cron deliveries: the org has one notice, its webhook SENT, the receiver one notice id", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("FREE");
    await b.artifact(org.id, 25);
    const { newSecret } = await saveNoticeSettings(
      t.engine,
      { id: 1 },
      {
        orgId: org.id,
        webhookUrl: receiver.url,
        recipients: [],
        leadDays: 7,
      },
    );
    receiver.secret = newSecret!.secret;

    // A cron delivery in a process of its own, killed while the receiver holds its request.
    receiver.hold = true;
    await workThenDie(
      {
        databaseUrl: t.database.url,
        s3Endpoint: inject("s3Endpoint"),
        batchSize: 25,
        leaseSeconds: 2,
        now: NOW,
        cronBudgetMs: 20_000,
        notices: true,
      },
      () => until(() => receiver.requests > 0),
    );
    const delivery = () => t.engine.db.noticeDelivery.findFirstOrThrow();
    expect(await delivery()).toMatchObject({ status: "PENDING", attempts: 1, sentAt: null });
    expect(receiver.notices.size).toBe(1);

    // Two cron deliveries at once take over once the dead sender's job expires.
    receiver.hold = false;
    await until(async () => {
      await Promise.all([
        runDailyPurge(t.engine, Date.now() + 10_000),
        runDailyPurge({ ...t.engine, workerId: `${t.engine.workerId}-2` }, Date.now() + 10_000),
      ]);
      return (await delivery()).status !== "PENDING";
    });
    expect(await delivery()).toMatchObject({ status: "SENT", attempts: 2 });
    expect(await t.engine.db.notice.count({ where: { orgId: org.id } })).toBe(1);
    // Sent twice over the wire (the first answer never came), received once: receivers dedupe on webhook-id.
    expect(receiver.requests).toBe(2);
    expect([...receiver.notices.keys()]).toEqual([(await delivery()).noticeId]);
  });
});
