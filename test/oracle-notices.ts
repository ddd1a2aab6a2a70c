import { randomUUID } from "node:crypto";
import type { Db } from "../server/db";
import type { NoticeDeliveryStatus, RetentionCategory } from "../server/generated/prisma/enums";
import type { Random } from "../prisma/seed/random";
import { NOTICE_CATEGORIES, oracleWindow, type OracleWorld } from "./oracle";

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Sometimes notice settings for the org (any plan: FREE hears too, its plan
 * promises no period), rarely with no channel left (it does not hear), and
 * the notices it was already told before `world.now`, written to the tables
 * the engine writes, as the engine writes them: per category the range
 * [the org's watermark, cutoff at told + lead days), never past the day it
 * was written; a notice every delivery of which FAILED moves no watermark.
 * Its lead time sometimes changed between notices.
 */
export async function maybeNotices(db: Db, random: Random, world: OracleWorld, orgId: number) {
  const org = world.orgs.find((o) => o.id === orgId);
  if (!org || !random.chance(0.5)) return;
  const lead = random.int(1, 30);
  const webhook = random.chance(0.4);
  const email = !webhook || random.chance(0.5);
  const deaf = random.chance(0.1);
  await db.noticeSettings.create({
    data: {
      orgId,
      webhookUrl: webhook && !deaf ? "https://hooks.example.test/lethe" : null,
      recipients: email && !deaf ? ["ops@example.test"] : [],
      leadDays: lead,
    },
  });
  const channels = [
    ...(webhook ? (["WEBHOOK"] as const) : []),
    ...(email ? (["EMAIL"] as const) : []),
  ];
  const ago = [...new Set(Array.from({ length: random.int(0, 5) }, () => random.int(1, 60)))];
  const watermark = new Map<RetentionCategory, Date>();
  for (const days of ago.sort((a, b) => b - a)) {
    const createdAt = new Date(world.now.getTime() - days * DAY + random.int(0, 11) * HOUR);
    const leadDays = random.chance(0.7) ? lead : random.int(1, 30);
    const categories = [];
    for (const category of NOTICE_CATEGORIES) {
      const window = oracleWindow(world, orgId, org.plan, category);
      if (window === undefined || window === null || random.chance(0.2)) continue;
      const cutoff = createdAt.getTime() + (leadDays - window) * DAY;
      const to = new Date(Math.min(cutoff, createdAt.getTime()));
      const from = watermark.get(category) ?? null;
      if (from && to <= from) continue;
      categories.push({
        orgId,
        category,
        items: BigInt(random.int(1, 9)),
        bytes: 0n,
        firstDueDate: createdAt,
        watermarkFrom: from,
        watermarkTo: to,
      });
    }
    if (categories.length === 0) continue;
    const failed = random.chance(0.25);
    const told = new Date(createdAt.getTime() + random.int(1, 7200) * 1000);
    const deliveries = channels.map((channel, i) => {
      const status: NoticeDeliveryStatus =
        !failed && (i === 0 || random.chance(0.5)) ? "SENT" : "FAILED";
      const sentAt =
        status === "SENT" ? new Date(told.getTime() + i * random.int(0, 300) * 1000) : null;
      return { id: randomUUID(), channel, status, attempts: status === "SENT" ? 1 : 5, sentAt };
    });
    await db.notice.create({
      data: {
        id: randomUUID(),
        orgId,
        day: new Date(`${createdAt.toISOString().slice(0, 10)}T00:00:00Z`),
        createdAt,
        leadDays,
        firstDueDate: createdAt,
        categories: { create: categories },
        deliveries: { create: deliveries },
      },
    });
    if (!failed) for (const c of categories) watermark.set(c.category, c.watermarkTo);
  }
}
