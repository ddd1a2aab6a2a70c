import type { Db } from "../../db";
import type { RetentionCategory } from "../../generated/prisma/enums";
import type { Engine } from "../deps";
import { sql } from "../sql";
import { ERASED, restorableAt } from "./scope";

export type Restorable = {
  orgId: number;
  category: RetentionCategory;
  items: number;
  bytes: bigint;
  /** The first of its items' windows to pass: everything listed is restorable until then. */
  restorableUntil: Date;
  /** The last: something of it is restorable until then. */
  lastRestorableUntil: Date;
};

/** What of a run is still restorable now, per org × category: items, bytes and until when. */
export async function restorableOfRun(engine: Engine, runId: string): Promise<Restorable[]> {
  const rows = await engine.db.$queryRaw<
    {
      org_id: number;
      category: RetentionCategory;
      items: number;
      bytes: bigint;
      first: Date;
      last: Date;
    }[]
  >(sql`
    SELECT k.org_id, k.category, count(*)::int AS items, sum(k.bytes)::bigint AS bytes,
           min(k.restorable_until) AS first, max(k.restorable_until) AS last
    FROM kept_items k
    WHERE k.run_id = ${runId} AND ${restorableAt(engine.now())}
    GROUP BY k.org_id, k.category ORDER BY k.org_id, k.category`);
  return rows.map((r) => ({
    orgId: r.org_id,
    category: r.category,
    items: r.items,
    bytes: BigInt(r.bytes),
    restorableUntil: r.first,
    lastRestorableUntil: r.last,
  }));
}

/** One item purged into its restore window, as it stands now. */
export type KeptItemNow = {
  runId: string;
  keptAt: Date;
  restorableUntil: Date;
  restorable: boolean;
  /** A GDPR erasure approved after it was kept covers it: final, window or not. */
  erased: boolean;
};

/**
 * Where an item gone from its live table waits in the restore window: its
 * latest kept row not restored (a restored one is live again), or null when
 * none is left (never kept, or finally deleted).
 */
export async function keptItemNow(
  db: Db,
  category: RetentionCategory,
  itemId: number,
  now: Date,
): Promise<KeptItemNow | null> {
  const [row] = await db.$queryRaw<
    {
      run_id: string;
      kept_at: Date;
      restorable_until: Date;
      restorable: boolean;
      erased: boolean;
    }[]
  >(sql`
    SELECT k.run_id, k.kept_at, k.restorable_until, (${restorableAt(now)}) AS restorable,
           ${ERASED} AS erased
    FROM kept_items k
    WHERE k.category = ${category}::"RetentionCategory" AND k.item_id = ${itemId}
      AND k.restored_at IS NULL
    ORDER BY k.id DESC LIMIT 1`);
  return row
    ? {
        runId: row.run_id,
        keptAt: row.kept_at,
        restorableUntil: row.restorable_until,
        restorable: row.restorable,
        erased: row.erased,
      }
    : null;
}
