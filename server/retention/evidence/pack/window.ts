import type { Db } from "../../../db";
import type { CsvCell } from "../../../csv";
import { sql } from "../../sql";
import { bounds, type Period } from "./period";
import type { ReconciliationLine } from "./reconciliation";

export const WINDOW_HEADER = [
  "at",
  "action",
  "run_id",
  "restore_id",
  "org_id",
  "category",
  "item_id",
  "batch_sha256",
] as const;

export type WindowAction = "FINALLY_DELETED" | "RESTORED";

const inPeriod = (p: Period) => {
  const { from, to } = bounds(p);
  return {
    createdAt: { gte: from, lt: to },
    ...(p.orgId === null ? {} : { orgId: p.orgId }),
  };
};

/**
 * The restore window's part: every item of every window batch written in
 * the period (of the org, when one is chosen), in the order they were
 * written (keyset on the batches' ids), one row per item: finally deleted
 * by a daily run, or restored (with the run the restore was of). A page of
 * batches at a time, so memory stays bounded whatever the period holds.
 * `onBatch` is told each batch as it is read (the pack's totals).
 */
export async function* windowRows(
  db: Db,
  p: Period,
  onBatch: (action: WindowAction, items: number, bytes: bigint) => void,
): AsyncGenerator<CsvCell[]> {
  let after = 0n;
  for (;;) {
    const page = await db.windowBatch.findMany({
      where: { id: { gt: after }, ...inPeriod(p) },
      orderBy: { id: "asc" },
      take: 100,
    });
    if (page.length === 0) return;
    after = page[page.length - 1]?.id ?? after;
    const restoreIds = page.flatMap((b) => (b.restoreId ? [b.restoreId] : []));
    const restores = new Map(
      (
        await db.restore.findMany({
          where: { id: { in: restoreIds } },
          select: { id: true, runId: true },
        })
      ).map((r) => [r.id, r.runId]),
    );
    for (const b of page) {
      const action: WindowAction = b.finalRunId ? "FINALLY_DELETED" : "RESTORED";
      const runId = b.finalRunId ?? (b.restoreId ? restores.get(b.restoreId) : null) ?? null;
      const at = b.createdAt.toISOString();
      for (const id of b.itemIds)
        yield [at, action, runId, b.restoreId, b.orgId, b.category, id, b.sha256];
      onBatch(action, b.itemIds.length, b.bytes);
    }
  }
}

type Compared = {
  id: string;
  run_id: string | null;
  record_items: bigint | null;
  record_bytes: bigint;
  items: bigint;
  bytes: bigint;
};

const figures = (items: bigint | null, bytes: bigint) => ({
  ...(items === null ? {} : { items: items.toString() }),
  bytes: bytes.toString(),
});

/**
 * The window's reconciliation: each daily run whose final deletion wrote a
 * window batch in the period (or counted bytes finally freed, being a run
 * of the period), its finally_freed against the bytes of all its window
 * batches; each restore that wrote one in the period (or began in it), its
 * items and bytes against its window batches. For one org, the runs and
 * restores that touched it, compared whole: neither records per org.
 */
export async function* windowReconciliation(
  db: Db,
  p: Period,
  runIds: string[],
): AsyncGenerator<ReconciliationLine> {
  const { from, to } = bounds(p);
  const org = p.orgId === null ? sql`` : sql`AND w.org_id = ${p.orgId}`;
  const runs = await db.$queryRaw<Compared[]>(sql`
    WITH ids AS (
      SELECT DISTINCT w.final_run_id AS id FROM window_batches w
      WHERE w.final_run_id IS NOT NULL AND w.created_at >= ${from} AND w.created_at < ${to} ${org}
      UNION SELECT r.id FROM purge_runs r WHERE r.id = ANY(${runIds}::text[]) AND r.finally_freed > 0)
    SELECT r.id, r.id AS run_id, NULL::bigint AS record_items, r.finally_freed AS record_bytes,
           coalesce(sum(cardinality(w.item_ids)), 0)::bigint AS items,
           coalesce(sum(w.bytes), 0)::bigint AS bytes
    FROM ids JOIN purge_runs r ON r.id = ids.id
    LEFT JOIN window_batches w ON w.final_run_id = r.id
    GROUP BY r.id, r.started_at ORDER BY r.started_at, r.id`);
  for (const r of runs) {
    const mismatches =
      r.record_bytes !== r.bytes
        ? [
            `Run ${r.id} counts ${r.record_bytes} bytes finally freed, its window batches ${r.bytes}`,
          ]
        : [];
    yield {
      kind: "final-deletion",
      runId: r.id,
      record: figures(null, r.record_bytes),
      windowBatches: figures(r.items, r.bytes),
      mismatches,
    };
  }
  const ofOrg = p.orgId === null ? sql`` : sql`AND s.org_id = ${p.orgId}`;
  const restores = await db.$queryRaw<Compared[]>(sql`
    WITH ids AS (
      SELECT DISTINCT w.restore_id AS id FROM window_batches w
      WHERE w.restore_id IS NOT NULL AND w.created_at >= ${from} AND w.created_at < ${to} ${org}
      UNION SELECT s.id FROM restores s
      WHERE s.restored_at >= ${from} AND s.restored_at < ${to} ${ofOrg})
    SELECT s.id, s.run_id, s.items::bigint AS record_items, s.bytes AS record_bytes,
           coalesce(sum(cardinality(w.item_ids)), 0)::bigint AS items,
           coalesce(sum(w.bytes), 0)::bigint AS bytes
    FROM ids JOIN restores s ON s.id = ids.id
    LEFT JOIN window_batches w ON w.restore_id = s.id
    GROUP BY s.id ORDER BY s.restored_at, s.id`);
  for (const s of restores) {
    const what = `Restore ${s.id} (of run ${s.run_id})`;
    const mismatches = [
      ...(s.record_items !== s.items
        ? [`${what} counts ${s.record_items} restored, its window batches ${s.items}`]
        : []),
      ...(s.record_bytes !== s.bytes
        ? [`${what} counts ${s.record_bytes} bytes restored, its window batches ${s.bytes}`]
        : []),
    ];
    yield {
      kind: "restore",
      restoreId: s.id,
      runId: s.run_id,
      record: figures(s.record_items, s.record_bytes),
      windowBatches: figures(s.items, s.bytes),
      mismatches,
    };
  }
}
