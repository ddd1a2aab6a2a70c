import { categoryOf } from "../../categories";
import type { RowCategory } from "../../categories/category";
import type { Engine } from "../../deps";
import { HOLDS_GATE_SHARED } from "../../policy/holds";
import { raw, sql, type Sql, type Tx } from "../../sql";
import { itemsFrom, type BatchItem, type SetAside } from "../batch-items";
import { leasedTo, leaseUntil } from "../leases";
import { longestBatch } from "../ledger";
import { statementTimeout } from "../pacing";
import { setAside, whyKept } from "../set-aside";
import type { Sweep } from "./stretches";

/** What one batch of a sweep did; `lost` when the sweep is no longer this worker's. */
export type SweepBatch = { lost: boolean; items: number; done: boolean; workMs: number };

/** Where the sweep stands, and the orgs whose task failed: a batch passes their items by. */
type Opened = { through: bigint; failedOrgs: number[] };

/**
 * Opens a sweep's batch in one round trip: sets its statement timeout,
 * takes the legal-hold gate (shared: a hold being placed waits for this
 * batch, and this batch's purge statement, with a snapshot of its own, sees
 * any hold committed before), and locks the sweep's row, which must still
 * be this worker's.
 *
 * Its commit does not wait for the WAL to reach disk (synchronous_commit
 * off, this transaction only): a server crash can lose the last batches
 * committed before it, and loses each whole (its deletes, the sweep's
 * cursor and counters together), so the sweep's next batch takes the same
 * checks again. A batch touches nothing outside the database, and the
 * sweep's end, which writes the evidence, commits durably, flushing every
 * batch before it.
 */
async function openSweepBatch(tx: Tx, engine: Engine, sweep: Sweep): Promise<Opened | null> {
  const [row] = await tx.$queryRaw<{ through: bigint | null; failed_orgs: number[] | null }[]>(sql`
    WITH ${statementTimeout(engine)},
    durability AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true)),
    gate AS MATERIALIZED (SELECT ${HOLDS_GATE_SHARED}),
    mine AS MATERIALIZED (
      SELECT settled_through, failed_orgs FROM purge_sweeps
      WHERE id = ${sweep.id} AND ${leasedTo(engine)} FOR UPDATE)
    SELECT -- In this order: the timeout bounds the waits that follow.
           (SELECT count(*) FROM timeout)::int AS timeouts_set, (SELECT count(*) FROM durability)::int AS async,
           (SELECT count(*) FROM gate)::int AS gated,
           (SELECT settled_through FROM mine) AS through, (SELECT failed_orgs FROM mine) AS failed_orgs`);
  if (!row || row.through === null) return null;
  return { through: row.through, failedOrgs: row.failed_orgs ?? [] };
}

/** The items a batch takes: the next `take` after the cursor, or (a probe) one org's up to `through`. */
export type SweepTake = { take: number; probeOrg?: { orgId: number; through: bigint } };

/**
 * The statement of a batch: the sweep's next items after its cursor,
 * whatever their org, re-checked against the plan's frozen windows (minus
 * orgs under a legal hold now and orgs whose task failed) and deleted by
 * their tuple ids; the sweep's cursor and counters move in the same
 * statement. Only the few items it did not delete come back.
 */
function purgeStatement(
  engine: Engine,
  sweep: Sweep,
  category: RowCategory,
  opened: Opened,
  bound: SweepTake,
): Sql {
  const { failedOrgs } = opened;
  const range = bound.probeOrg
    ? sql`p.id <= ${bound.probeOrg.through} AND p.org_id = ${bound.probeOrg.orgId}`
    : sql`p.id <= ${sweep.lastItem}`;
  const eligible = category.eligible({
    windows: sql`windows`,
    only: sql`(SELECT array_agg(item_id ORDER BY id) FROM items)`,
    newer: sql`(SELECT array_agg(newer_item_id ORDER BY id) FROM items)`,
    keepNewest: sweep.keepNewest,
  });
  return sql`
    WITH items AS MATERIALIZED (
      SELECT p.id, p.org_id, p.item_id, p.newer_item_id, p.bytes FROM plan_items p
      WHERE p.plan_id = ${sweep.planId} AND p.category = ${sweep.category}::"RetentionCategory"
        AND p.id > ${opened.through} AND ${range} AND p.org_id <> ALL(${sweep.guardedOrgs}::int[])
      ORDER BY p.id LIMIT ${bound.take}),
    -- Concatenating copies the arrays out of their compressed column once:
    -- a subscript of the column itself would decompress it for every org.
    frozen AS MATERIALIZED (
      SELECT window_first_org AS first, window_days || '{}'::int[] AS days,
             window_cutoffs || '{}'::timestamp(3)[] AS cutoffs
      FROM purge_sweeps WHERE id = ${sweep.id}),
    windows AS MATERIALIZED (
      SELECT o.org_id, f.days[o.org_id - f.first + 1] AS days, f.cutoffs[o.org_id - f.first + 1] AS cutoff
      FROM (SELECT DISTINCT org_id FROM items) o, frozen f
      WHERE o.org_id <> ALL(${failedOrgs}::int[])
        AND o.org_id NOT IN (
          SELECT h.org_id FROM legal_holds h WHERE h.scope = 'ORG' AND h.released_at IS NULL)),
    purged AS (
      DELETE FROM ${raw(category.table)} WHERE ctid = ANY(ARRAY(SELECT e.row_ctid FROM (${eligible}) e))
      RETURNING id),
    settled AS MATERIALIZED (
      SELECT i.*, d.id IS NOT NULL AS deleted, i.org_id = ANY(${failedOrgs}::int[]) AS org_failed
      FROM items i LEFT JOIN purged d ON d.id = i.item_id),
    tally AS MATERIALIZED (
      SELECT count(*)::int AS taken, count(*) FILTER (WHERE deleted)::int AS deleted,
             count(*) FILTER (WHERE NOT deleted AND org_failed)::int AS failed,
             coalesce(sum(bytes) FILTER (WHERE deleted), 0)::bigint AS bytes, max(id) AS through
      FROM settled),
    advanced AS (
      UPDATE purge_sweeps s SET
        settled_through = coalesce(y.through, s.settled_through),
        batches = s.batches + (y.taken > 0)::int,
        deleted = s.deleted + y.deleted, failed = s.failed + y.failed,
        skipped = s.skipped + y.taken - y.deleted - y.failed, bytes_freed = s.bytes_freed + y.bytes,
        longest_batch_ms = ${longestBatch(sql`s`, sql`y.taken`)},
        lease_until = ${leaseUntil(engine)}
      FROM tally y WHERE s.id = ${sweep.id}
      RETURNING y.taken)
    SELECT (SELECT taken FROM advanced) AS taken,
           coalesce(array_agg(k.org_id ORDER BY k.id), '{}') AS org_ids,
           coalesce(array_agg(k.id::text ORDER BY k.id), '{}') AS ids,
           coalesce(array_agg(k.item_id ORDER BY k.id), '{}') AS item_ids,
           coalesce(array_agg(k.bytes::text ORDER BY k.id), '{}') AS bytes
    FROM settled k WHERE NOT k.deleted`;
}

type Purged = {
  taken: number;
  org_ids: number[];
  ids: string[];
  item_ids: number[];
  bytes: string[];
};

/** Sets aside, as FAILED with their task's error, the items of orgs whose task failed. */
async function setFailedAside(tx: Tx, sweep: Sweep, items: BatchItem[]) {
  const errors = await tx.$queryRaw<{ org_id: number; error: string | null }[]>(sql`
    SELECT org_id, last_error AS error FROM purge_tasks
    WHERE run_id = ${sweep.runId} AND category = ${sweep.category}::"RetentionCategory"
      AND org_id = ANY(${[...new Set(items.map((i) => i.org_id))]}::int[])`);
  const why = new Map(errors.map((e) => [e.org_id, e.error ?? "unknown error"]));
  await setAside(
    tx,
    sweep,
    "FAILED",
    items.map((item): SetAside => ({
      item,
      reason: `not purged: its organization's task failed: ${why.get(item.org_id) ?? "unknown error"}`,
    })),
  );
}

/**
 * Purges a sweep's next batch in one transaction. A crash anywhere rolls
 * the deletes, the cursor and the counters back together. With a probe
 * bound, the caller rolls the transaction back: it only asks whether one
 * org's items fail.
 */
export async function sweepBatchIn(
  tx: Tx,
  engine: Engine,
  sweep: Sweep,
  bound: SweepTake,
): Promise<Omit<SweepBatch, "workMs">> {
  const category = categoryOf(sweep.category);
  if (category.kind !== "rows" || !category.neverEdited)
    throw new Error(`${sweep.category} is not a swept category`);
  const opened = await openSweepBatch(tx, engine, sweep);
  if (!opened) return { lost: true, items: 0, done: false };
  const [w] = await tx.$queryRaw<Purged[]>(purgeStatement(engine, sweep, category, opened, bound));
  const taken = w?.taken ?? 0;
  const kept = itemsFrom(
    w && {
      task_ids: w.org_ids.map(() => 0),
      org_ids: w.org_ids,
      ids: w.ids,
      item_ids: w.item_ids,
      object_keys: w.ids.map(() => null),
      bytes: w.bytes,
    },
  );
  const failedOrgs = new Set(opened.failedOrgs);
  const ofFailed = kept.filter((i) => failedOrgs.has(i.org_id));
  if (ofFailed.length > 0) await setFailedAside(tx, sweep, ofFailed);
  const rest = kept.filter((i) => !failedOrgs.has(i.org_id));
  if (rest.length > 0) await setAside(tx, sweep, "SKIPPED", await whyKept(tx, category, rest));
  return { lost: false, items: taken, done: taken < bound.take };
}

/** One batch of a sweep, as its worker runs it. */
export async function purgeSweepBatch(
  engine: Engine,
  sweep: Sweep,
  size: number,
): Promise<SweepBatch> {
  return engine.db.$transaction(
    async (tx) => {
      const began = performance.now();
      const result = await sweepBatchIn(tx, engine, sweep, { take: size });
      return { ...result, workMs: performance.now() - began };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
