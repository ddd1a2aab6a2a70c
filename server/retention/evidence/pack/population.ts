import type { Db } from "../../../db";
import { sql } from "../../sql";
import type { CsvCell } from "../../../csv";
import { bounds, type Period } from "./period";

export const POPULATION_HEADER = [
  "deleted_at",
  "run_id",
  "batch_no",
  "org_id",
  "category",
  "item_id",
  "batch_sha256",
] as const;

/** Runs that may have written a manifest batch in the period: started before its end, not ended before its start. */
export async function runsOfPeriod(db: Db, p: Period) {
  const { from, to } = bounds(p);
  const org =
    p.orgId === null
      ? sql``
      : sql`AND EXISTS (SELECT 1 FROM purge_tasks t WHERE t.run_id = r.id AND t.org_id = ${p.orgId})`;
  return db.$queryRaw<{ id: string }[]>(sql`
    SELECT r.id FROM purge_runs r
    WHERE r.started_at < ${to} AND (r.finished_at IS NULL OR r.finished_at >= ${from}) ${org}
    ORDER BY r.started_at, r.id`);
}

const inPeriod = (p: Period) => {
  const { from, to } = bounds(p);
  return {
    createdAt: { gte: from, lt: to },
    ...(p.orgId === null ? {} : { orgId: p.orgId }),
  };
};

/** How many manifest batches the period holds: the pack's progress counts them. */
export async function periodBatches(db: Db, p: Period, runIds: string[]) {
  return db.manifestBatch.count({ where: { runId: { in: runIds }, ...inPeriod(p) } });
}

/**
 * The deletion population: every item of every manifest batch written in
 * the period (of the org, when one is chosen), run by run, batch by batch
 * (keyset on the run's batch ids), one row per item. A page of batches at a
 * time, so memory stays bounded whatever the period holds. `onBatch` is
 * told each batch as it is read (the pack's progress and totals).
 */
export async function* populationRows(
  db: Db,
  p: Period,
  runIds: string[],
  onBatch: (items: number, bytes: bigint) => void,
): AsyncGenerator<CsvCell[]> {
  for (const runId of runIds) {
    let after = 0n;
    for (;;) {
      const page = await db.manifestBatch.findMany({
        where: { runId, id: { gt: after }, ...inPeriod(p) },
        orderBy: { id: "asc" },
        take: 100,
      });
      if (page.length === 0) break;
      after = page[page.length - 1]?.id ?? after;
      for (const b of page) {
        const at = b.createdAt.toISOString();
        for (const id of b.itemIds) yield [at, runId, b.batchNo, b.orgId, b.category, id, b.sha256];
        onBatch(b.itemIds.length, b.bytes);
      }
    }
  }
}
