import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { loadNoticeCutoffs } from "./period";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(() => t.close());

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

/** A notice told (webhook SENT) `ago` days before NOW, promising `lead` days, of ARTIFACTS aged in [from, to). */
async function told(orgId: number, ago: number, lead: number, from: Date | null, to: Date) {
  await t.engine.db.notice.create({
    data: {
      id: randomUUID(),
      orgId,
      day: new Date(`${daysAgo(ago).toISOString().slice(0, 10)}T00:00:00Z`),
      createdAt: daysAgo(ago),
      leadDays: lead,
      firstDueDate: daysAgo(ago - lead),
      categories: {
        create: [
          {
            orgId,
            category: "ARTIFACTS",
            items: 1n,
            bytes: 0n,
            firstDueDate: daysAgo(ago - lead),
            watermarkFrom: from,
            watermarkTo: to,
          },
        ],
      },
      deliveries: {
        create: [
          {
            id: randomUUID(),
            channel: "WEBHOOK",
            status: "SENT",
            attempts: 1,
            sentAt: daysAgo(ago),
          },
        ],
      },
    },
  });
}

async function cutoffOf(orgId: number) {
  const rows = await loadNoticeCutoffs(
    t.engine.db,
    [{ id: orgId, plan: "AGENCY" }],
    {},
    ["ARTIFACTS"],
    NOW,
  );
  return rows.find(([org]) => org === orgId)?.[2];
}

async function hearingOrg() {
  const org = await builders(t.engine.db, t.engine.store).org("AGENCY");
  await t.engine.db.noticeSettings.create({
    data: {
      orgId: org.id,
      webhookUrl: "https://hooks.example.test/lethe",
      recipients: [],
      leadDays: 30,
    },
  });
  return org;
}

describe("the notice period across notices of different lead times", () => {
  it("a later notice with a shorter lead frees nothing an earlier, longer one still promises to keep", async () => {
    const org = await hearingOrg();
    // Told 20 days ago with 30 days' notice (held 10 more days), then 10
    // days ago with 8 (its lead passed 2 days ago): nothing may go yet.
    await told(org.id, 20, 30, null, daysAgo(400));
    await told(org.id, 10, 8, daysAgo(400), daysAgo(390));
    expect(await cutoffOf(org.id)).toBe("1970-01-01T00:00:00.000Z");
  });

  it("frees what the matured notices told, up to the first one still within its lead", async () => {
    const org = await hearingOrg();
    await told(org.id, 40, 30, null, daysAgo(400)); // lead passed 10 days ago
    await told(org.id, 20, 30, daysAgo(400), daysAgo(390)); // 10 days to go
    await told(org.id, 15, 8, daysAgo(390), daysAgo(380)); // lead passed, but after a kept one
    expect(await cutoffOf(org.id)).toBe(daysAgo(400).toISOString());
  });
});
