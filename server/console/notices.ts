import type { Db } from "../db";
import { toldDays } from "../retention/notices/body";

/** An org's notices, newest first, with what each told and how each channel fared. */
export async function noticeLog(db: Db, input: { orgId: number; page: number; pageSize: number }) {
  const where = { orgId: input.orgId };
  const [notices, total] = await Promise.all([
    db.notice.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
      include: {
        categories: { orderBy: { category: "asc" } },
        deliveries: { orderBy: { channel: "asc" } },
      },
    }),
    db.notice.count({ where }),
  ]);
  return {
    total,
    rows: notices.map((n) => ({
      id: n.id,
      createdAt: n.createdAt,
      /** As the tenant read it: never before the end of a notice period the notice promised. */
      firstDueDate: toldDays(n).due(n.firstDueDate),
      leadDays: n.leadDays,
      items: n.categories.reduce((sum, c) => sum + Number(c.items), 0),
      bytes: n.categories.reduce((sum, c) => sum + Number(c.bytes), 0),
      categories: n.categories.map((c) => ({
        category: c.category,
        items: Number(c.items),
        bytes: Number(c.bytes),
      })),
      deliveries: n.deliveries.map((d) => ({
        channel: d.channel,
        status: d.status,
        attempts: d.attempts,
        lastError: d.lastError,
        sentAt: d.sentAt,
      })),
    })),
  };
}
