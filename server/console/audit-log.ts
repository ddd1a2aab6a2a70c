import type { Db } from "../db";

/** The audit log, newest first, filtered; the log itself is never changed. */
export async function listAudit(
  db: Db,
  filter: {
    action?: string;
    orgId?: number;
    actor?: string;
    from?: Date;
    to?: Date;
    offset: number;
    limit: number;
  },
) {
  const where = {
    action: filter.action ? { startsWith: filter.action } : undefined,
    orgId: filter.orgId,
    actor: filter.actor,
    at: filter.from || filter.to ? { gte: filter.from, lte: filter.to } : undefined,
  };
  const [total, entries] = await Promise.all([
    db.auditEntry.count({ where }),
    db.auditEntry.findMany({
      where,
      orderBy: { id: "desc" },
      skip: filter.offset,
      take: filter.limit,
    }),
  ]);
  return { total, entries: entries.map((e) => ({ ...e, id: e.id.toString() })) };
}
