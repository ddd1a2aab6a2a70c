import type { Db } from "../../../db";
import { sql } from "../../sql";
import type { Period } from "./period";
import { finallyFreed } from "../../restore/window-batches";
import { windowReconciliation } from "./window";

/** One line of reconciliation.ndjson: what was compared, the figures, and each disagreement. */
export type ReconciliationLine = Record<string, unknown> & { mismatches: string[] };

type Sums = { items: bigint; bytes: bigint };
const sums = (s: Sums) => ({ items: s.items.toString(), bytes: s.bytes.toString() });

const differ = (what: string, record: Sums, manifest: Sums) => [
  ...(record.items !== manifest.items
    ? [`${what} counts ${record.items} deleted, its manifest ${manifest.items}`]
    : []),
  ...(record.bytes !== manifest.bytes
    ? [`${what} counts ${record.bytes} bytes freed, its manifest ${manifest.bytes}`]
    : []),
];

/**
 * A run's record against its manifest: the run's counters (purge_runs) and
 * each task's (purge_tasks, only the org's when the pack has one) against
 * the manifest batches it wrote, summed in the database.
 */
async function reconcileRun(db: Db, runId: string, orgId: number | null) {
  const run = await db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
  const [whole] = await db.$queryRaw<Sums[]>(sql`
    SELECT coalesce(sum(cardinality(item_ids)), 0)::bigint AS items, coalesce(sum(bytes), 0)::bigint AS bytes
    FROM manifest_batches WHERE run_id = ${runId}`);
  const manifest = whole ?? { items: 0n, bytes: 0n };
  const record = { items: run.deleted, bytes: run.bytesFreed };
  const ended = run.status !== "RUNNING";
  const mismatches = ended ? differ(`Run ${runId}`, record, manifest) : [];
  const org = orgId === null ? sql`` : sql`AND t.org_id = ${orgId}`;
  const tasks = await db.$queryRaw<
    {
      id: number;
      org_id: number;
      category: string;
      deleted: bigint;
      bytes_freed: bigint;
      items: bigint;
      bytes: bigint;
    }[]
  >(sql`
    SELECT t.id, t.org_id, t.category::text, t.deleted::bigint, t.bytes_freed,
           coalesce(m.items, 0)::bigint AS items, coalesce(m.bytes, 0)::bigint AS bytes
    FROM purge_tasks t
    LEFT JOIN (SELECT task_id, sum(cardinality(item_ids)) AS items, sum(bytes) AS bytes
               FROM manifest_batches WHERE run_id = ${runId} GROUP BY task_id) m ON m.task_id = t.id
    WHERE t.run_id = ${runId} ${org}
      AND (t.deleted <> coalesce(m.items, 0) OR t.bytes_freed <> coalesce(m.bytes, 0))
    ORDER BY t.id`);
  const ofOrg = orgId === null ? null : await orgOfRun(db, runId, orgId);
  if (ofOrg && ended)
    mismatches.push(...differ(`Org ${orgId} in run ${runId}`, ofOrg.record, ofOrg.manifest));
  for (const t of tasks)
    mismatches.push(
      ...differ(
        `Task ${t.id} (org ${t.org_id}, ${t.category})`,
        { items: t.deleted, bytes: t.bytes_freed },
        { items: t.items, bytes: t.bytes },
      ),
    );
  return {
    kind: "run",
    runId,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    record: ended ? sums(record) : "still running: its counters are written when it ends",
    manifest: sums(manifest),
    ...(ofOrg
      ? { org: { orgId, record: sums(ofOrg.record), manifest: sums(ofOrg.manifest) } }
      : {}),
    mismatches,
  };
}

/** The pack's org's part of a run: its tasks' counters against the manifest batches they wrote. */
async function orgOfRun(db: Db, runId: string, orgId: number) {
  const [row] = await db.$queryRaw<
    { record_items: bigint; record_bytes: bigint; items: bigint; bytes: bigint }[]
  >(sql`
    SELECT
      (SELECT coalesce(sum(deleted), 0) FROM purge_tasks WHERE run_id = ${runId} AND org_id = ${orgId})::bigint AS record_items,
      (SELECT coalesce(sum(bytes_freed), 0) FROM purge_tasks WHERE run_id = ${runId} AND org_id = ${orgId})::bigint AS record_bytes,
      (SELECT coalesce(sum(cardinality(item_ids)), 0) FROM manifest_batches WHERE run_id = ${runId} AND org_id = ${orgId})::bigint AS items,
      (SELECT coalesce(sum(bytes), 0) FROM manifest_batches WHERE run_id = ${runId} AND org_id = ${orgId})::bigint AS bytes`);
  return {
    record: { items: row?.record_items ?? 0n, bytes: row?.record_bytes ?? 0n },
    manifest: { items: row?.items ?? 0n, bytes: row?.bytes ?? 0n },
  };
}

/**
 * /api/metrics' counters (retention_deletes_total, retention_bytes_freed_total)
 * are read from purge_totals, to which every ended task adds its counters
 * and every final deletion the bytes it freed: so each plan × category
 * total must equal the sum over ended tasks and final deletions, all time
 * (the counters never reset, so the period cannot be cut out of them).
 */
async function reconcileMetrics(db: Db) {
  const rows = await db.$queryRaw<
    {
      plan: string;
      category: string;
      metric_items: bigint | null;
      metric_bytes: bigint | null;
      items: bigint | null;
      bytes: bigint | null;
    }[]
  >(sql`
    WITH t AS (
      SELECT plan, category, sum(deleted)::bigint AS items, sum(bytes_freed)::bigint AS bytes FROM (
        SELECT plan, category, deleted::bigint, bytes_freed
        FROM purge_tasks WHERE status IN ('SUCCEEDED', 'FAILED')
        UNION ALL SELECT * FROM ${finallyFreed(sql`TRUE`)} f) x
      GROUP BY plan, category)
    SELECT coalesce(p.plan, t.plan)::text AS plan, coalesce(p.category, t.category)::text AS category,
           p.deleted AS metric_items, p.bytes_freed AS metric_bytes, t.items, t.bytes
    FROM purge_totals p FULL JOIN t ON t.plan = p.plan AND t.category = p.category
    ORDER BY 1, 2`);
  return rows.map((r) => {
    const metric = { items: r.metric_items ?? 0n, bytes: r.metric_bytes ?? 0n };
    const tasks = { items: r.items ?? 0n, bytes: r.bytes ?? 0n };
    const mismatches = [
      ...(metric.items !== tasks.items
        ? [
            `retention_deletes_total{plan="${r.plan}",category="${r.category}"} is ${metric.items}, ended tasks deleted ${tasks.items}`,
          ]
        : []),
      ...(metric.bytes !== tasks.bytes
        ? [
            `retention_bytes_freed_total{plan="${r.plan}",category="${r.category}"} is ${metric.bytes}, ended tasks and final deletions freed ${tasks.bytes}`,
          ]
        : []),
    ];
    return {
      kind: "metrics",
      plan: r.plan,
      category: r.category,
      metric: sums(metric),
      endedTasks: sums(tasks),
      mismatches,
    };
  });
}

/**
 * The reconciliation, a line at a time: each run of the period, then the
 * restore window's final deletions and restores, then the metrics' counters. Every disagreement is listed on its line; none is
 * left out or smoothed over.
 */
export async function* reconciliation(
  db: Db,
  p: Period,
  runIds: string[],
): AsyncGenerator<ReconciliationLine> {
  for (const runId of runIds) yield await reconcileRun(db, runId, p.orgId);
  yield* windowReconciliation(db, p, runIds);
  for (const line of await reconcileMetrics(db)) yield line;
}
