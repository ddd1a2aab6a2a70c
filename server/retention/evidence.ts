import type { Db } from "../db";
import { entryHash, GENESIS_HASH } from "./audit";
import { auditAnchors, type AuditAnchor } from "./audit-anchor";
import { sql } from "./sql";

export type ManifestBatchRow = {
  batchNo: number;
  taskId: number;
  orgId: number;
  category: string;
  itemIds: string[];
  sha256: string;
  bytes: string;
  createdAt: string;
};

/**
 * The manifest of a run, page by page (keyset on the batch id): what each
 * committed batch deleted, as ids with a SHA-256 per batch. An auditor
 * recomputes each digest as sha256("CATEGORY:orgId:" + sorted ids joined by ",").
 */
export async function* manifestPages(
  db: Db,
  runId: string,
  pageSize = 500,
): AsyncGenerator<ManifestBatchRow[]> {
  let after = 0n;
  for (;;) {
    const rows = await db.manifestBatch.findMany({
      where: { runId, id: { gt: after } },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    yield rows.map((r) => ({
      batchNo: r.batchNo,
      taskId: r.taskId,
      orgId: r.orgId,
      category: r.category,
      itemIds: r.itemIds,
      sha256: r.sha256,
      bytes: r.bytes.toString(),
      createdAt: r.createdAt.toISOString(),
    }));
  }
}

export type ChainVerdict =
  | { intact: true; entries: number; anchors: number }
  | {
      intact: false;
      entries: number;
      /** The first entry that is wrong, or null when entries are missing from the end. */
      brokenAt: string | null;
      reason: string;
    };

/**
 * Walks the audit log in order and recomputes every hash from the previous
 * one: an edited, removed or reordered entry breaks the chain where it is.
 * Each anchor (the head a daily run recorded, or one the caller kept from a
 * manifest or a metrics scrape) must still be reached with its hash: a log
 * whose tail was cut, which the hashes alone cannot show, falls short of it.
 */
export async function verifyAuditChain(
  db: Db,
  options: { anchors?: AuditAnchor[] } = {},
): Promise<ChainVerdict> {
  const anchors = options.anchors ?? (await auditAnchors(db));
  const byPosition = new Map(anchors.map((a) => [a.entries, a]));
  let prevHash = GENESIS_HASH;
  let after = 0n;
  let entries = 0;
  for (;;) {
    const rows = await db.auditEntry.findMany({
      where: { id: { gt: after } },
      orderBy: { id: "asc" },
      take: 5000,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      entries++;
      if (row.prevHash !== prevHash) {
        return {
          intact: false,
          entries,
          brokenAt: row.id.toString(),
          reason: "does not follow the entry before it (one was removed or reordered)",
        };
      }
      const expected = entryHash(prevHash, {
        at: row.at,
        actorId: row.actorId,
        actor: row.actor,
        action: row.action,
        orgId: row.orgId,
        target: row.target,
        details: row.details,
      });
      if (expected !== row.hash) {
        return {
          intact: false,
          entries,
          brokenAt: row.id.toString(),
          reason: "its content no longer matches its hash (it was edited)",
        };
      }
      const anchor = byPosition.get(BigInt(entries));
      if (anchor && anchor.headHash !== row.hash) {
        return {
          intact: false,
          entries,
          brokenAt: row.id.toString(),
          reason: `it is entry ${entries}, but ${anchor.label} anchored a different entry there (the log was rewritten from here on)`,
        };
      }
      prevHash = row.hash;
    }
    after = rows[rows.length - 1]?.id ?? after;
  }
  const furthest = anchors.reduce<AuditAnchor | null>(
    (best, a) => (!best || a.entries > best.entries ? a : best),
    null,
  );
  if (furthest && furthest.entries > BigInt(entries)) {
    return {
      intact: false,
      entries,
      brokenAt: null,
      reason: `the log ends after ${entries} entries, but ${furthest.label} anchored ${furthest.entries}: entries were removed from its end`,
    };
  }
  return { intact: true, entries, anchors: anchors.length };
}

/** The daily purge is late this long after its last success. */
const LATE_AFTER_MS = 25 * 3_600_000;

/**
 * Health: the database answers, and when the daily purge last succeeded.
 * It is stale 25 hours after that success; on a deployment where it never
 * succeeded, 25 hours after the first migration, so a new install is not
 * reported late before its first 04:00 run was due.
 */
export async function retentionHealth(db: Db, now: Date) {
  let database = "ok";
  try {
    await db.$queryRaw(sql`SELECT 1`);
  } catch {
    database = "unreachable";
  }
  if (database !== "ok") return { database, lastSuccess: null, lastRun: null, stale: true };
  const lastSuccess = await db.purgeRun.findFirst({
    where: { trigger: "CRON", status: "SUCCEEDED" },
    orderBy: { finishedAt: "desc" },
    select: { id: true, finishedAt: true, deleted: true, bytesFreed: true },
  });
  const lastRun = await db.purgeRun.findFirst({
    where: { trigger: "CRON" },
    orderBy: { startedAt: "desc" },
    select: { id: true, status: true, startedAt: true, finishedAt: true },
  });
  const since = lastSuccess?.finishedAt ?? (await deployedAt(db));
  const stale = !since || now.getTime() - since.getTime() > LATE_AFTER_MS;
  return { database, lastSuccess, lastRun, stale };
}

/** When this deployment's schema was first migrated: the day Lethe started governing it. */
async function deployedAt(db: Db) {
  const [row] = await db.$queryRaw<{ at: Date | null }[]>(
    sql`SELECT min(finished_at) AS at FROM _prisma_migrations`,
  );
  return row?.at ?? null;
}

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
