import type { Db } from "../db";
import { sql } from "../retention/sql";
import { inWindow, newestFirst, RANKS, type HistoryWindow } from "./history-keyset";
import { isoDay } from "../calendar-day";

/** Notices the daily run wrote to the org: what each told, and how each channel fared. */
export async function noticeEntries(db: Db, w: HistoryWindow) {
  const rows = await db.$queryRaw<
    {
      id: string;
      at: Date;
      firstDueDate: Date;
      items: bigint;
      bytes: bigint;
      deliveries: { channel: "WEBHOOK" | "EMAIL"; status: "PENDING" | "SENT" | "FAILED" }[];
    }[]
  >(sql`
    SELECT n.id, n.created_at AS at, n.first_due_date AS "firstDueDate",
           (SELECT coalesce(sum(c.items), 0) FROM notice_categories c WHERE c.notice_id = n.id)::bigint AS items,
           (SELECT coalesce(sum(c.bytes), 0) FROM notice_categories c WHERE c.notice_id = n.id)::bigint AS bytes,
           (SELECT coalesce(json_agg(json_build_object('channel', d.channel, 'status', d.status)
                    ORDER BY d.channel), '[]') FROM notice_deliveries d WHERE d.notice_id = n.id) AS deliveries
    FROM notices n
    WHERE n.org_id = ${w.orgId} ${inWindow(sql`n.created_at`, sql`n.id::text`, "text", RANKS.notice, w)}
    ${newestFirst(sql`n.created_at`, sql`n.id::text`, "text")}
    LIMIT ${w.limit}`);
  return rows.map(({ at, firstDueDate, ...notice }) => ({
    place: { at, rank: RANKS.notice, id: notice.id },
    who: { kind: "schedule" as const },
    entry: {
      kind: "notice" as const,
      ...notice,
      firstDueDate: isoDay(firstDueDate),
    },
  }));
}
