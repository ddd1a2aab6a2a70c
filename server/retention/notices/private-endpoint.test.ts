import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { startReceiver, type Receiver } from "@/test/notices";
import type { Engine } from "../deps";
import { scheduledDay } from "../run/daily";
import { composeNotices } from "./compose";
import { sendNotices } from "./deliver";
import { saveNoticeSettings } from "./settings";
import { publicOnlyLookup } from "./webhook-address";

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

/** The engine of a deployment that allows private addresses (the test channels) or not (production). */
const engineWith = (allowPrivateAddresses: boolean): Engine => ({
  ...t.engine,
  notices: { ...t.engine.notices!, allowPrivateAddresses },
});

/** An org with an item due within its lead time and a webhook at `url`, saved while it was allowed. */
async function orgPointingAt(url: string) {
  const b = builders(t.engine.db, t.engine.store);
  const org = await b.org("FREE");
  await b.artifact(org.id, 25);
  const { newSecret } = await saveNoticeSettings(
    t.engine,
    { id: 1 },
    {
      orgId: org.id,
      webhookUrl: url,
      recipients: [],
      leadDays: 7,
    },
  );
  receiver.secret = newSecret!.secret;
  return org.id;
}

async function composeAndSend(engine: Engine) {
  await composeNotices(engine, scheduledDay(NOW), Date.now() + 30_000);
  return sendNotices(engine, Date.now() + 20_000);
}

const deliveryOf = (orgId: number) =>
  t.engine.db.noticeDelivery.findFirstOrThrow({ where: { notice: { orgId } } });

describe("a webhook that points inside our network", () => {
  it("is reached where the deployment allows private addresses (tests, a local receiver)", async () => {
    const port = new URL(receiver.url).port;
    const orgId = await orgPointingAt(`http://localhost:${port}/hooks/lethe`);
    expect(await composeAndSend(engineWith(true))).toMatchObject({ sent: 1, failed: 0 });
    expect(await deliveryOf(orgId)).toMatchObject({ status: "SENT" });
    expect(receiver.notices.size).toBe(1);
  });

  it("fails at once, never reaching it, where they are not: a name that resolves to one (DNS rebinding) and a literal one saved before", async () => {
    const requests = receiver.requests;
    const port = new URL(receiver.url).port;
    // localhost is resolved at connection time like any name an attacker's DNS answers.
    const rebound = await orgPointingAt(`http://localhost:${port}/hooks/lethe`);
    const literal = await orgPointingAt(`http://[::ffff:127.0.0.1]:${port}/hooks/lethe`);

    expect(await composeAndSend(engineWith(false))).toMatchObject({
      sent: 0,
      retrying: 0,
      failed: 2,
    });
    expect(await deliveryOf(rebound)).toMatchObject({
      status: "FAILED",
      attempts: 1,
      lastError: "the endpoint resolves to a private address (loopback)",
    });
    expect(await deliveryOf(literal)).toMatchObject({
      status: "FAILED",
      attempts: 1,
      lastError: "the endpoint is not public: ::ffff:7f00:1 is a private address (loopback)",
    });
    expect(receiver.requests).toBe(requests);
  });

  it.each([true, false])(
    "is refused by the connection itself, racing address families or not (autoSelectFamily %s)",
    async (autoSelectFamily) => {
      const socket = connect({
        host: "localhost",
        port: Number(new URL(receiver.url).port),
        lookup: publicOnlyLookup,
        autoSelectFamily,
      });
      const outcome = await new Promise((resolve) => {
        socket.once("connect", () => resolve("connected"));
        socket.once("error", (error) => resolve(error.message));
      });
      socket.destroy();
      expect(outcome).toBe("the endpoint resolves to a private address (loopback)");
    },
  );
});
