import type { HoldScope, RetentionCategory } from "../../generated/prisma/enums";
import type { BackupEnvironment } from "../policy/defaults";
import type { ObjectStore } from "../../storage";
import { onlyIds, raw, sql, type Sql, type Tx } from "../sql";
import { keepRows, type Keep, type KeepOptions } from "./keep";

export type EligibleQuery = {
  /** (org_id, days, cutoff) rows: see windowsRelation. */
  windows: Sql;
  /**
   * Restricts to the item ids of this int[] expression: the re-check of one
   * purge batch (`idArray`, or the batch's own items inside its statement).
   */
  only?: Sql;
  /**
   * With `only`, from a plan: each item's newer item (int[] in the order of
   * `only`, nulls where none was recorded), for a category that records them.
   */
  newer?: Sql;
  /**
   * Drift checks: the latest check of each environment as (environment_id,
   * latest_id) rows, found once by a plan planned in steps
   * (plan/latest-checks.ts); without it the rule finds them itself.
   */
  latestChecks?: Sql;
  /** GDPR erasure of one member: only that member's artifacts. */
  memberId?: number;
  /** Backups kept per environment name (newest N). */
  keepNewest: Record<BackupEnvironment, number>;
};

/** Why a row is never eligible whatever its age, or null when only age decides. */
export type ItemFacts = {
  orgId: number;
  agedAt: Date | null;
  keptBecause: string | null;
  /** Its row stays but the item itself was purged (an incident whose payload was). */
  purged?: boolean;
  /** Backups only: how many newer backups its environment has, and its name. */
  newerBackups?: number;
  environment?: string;
};

type CategoryBase = {
  key: RetentionCategory;
  label: string;
  /** What ages an item, for explanations: "created", "closed", … */
  agedBy: string;
  /** What purging does to an item. */
  action: "delete" | "delete object and row" | "purge payload" | "archive" | "delete object";
};

/**
 * A category whose items are rows. `eligible` is the whole rule in SQL and
 * yields (org_id, item_id, object_key, bytes, aged_at); `purgeRows` acts on
 * ids that were just re-checked, inside the batch's transaction, after their
 * objects (if any) are gone.
 */
export type RowCategory = CategoryBase & {
  kind: "rows";
  /** The table whose row is the item: a purge batch locks those rows first. */
  table: string;
  /** Kept by count (newest N per environment), not by a window of days. */
  keepsNewest?: boolean;
  /**
   * `eligible` also yields `newer_item_id`, the item whose existence makes
   * this one eligible (a newer check), which the dry run writes on the plan
   * item and a batch's re-check looks up first (`EligibleQuery.newer`).
   */
  recordsNewer?: boolean;
  eligible(query: EligibleQuery): Sql;
  /**
   * The legal holds other than an org's that keep some of its items (an org
   * hold keeps every category's, through the windows): for each such scope,
   * the orgs (`org_id` rows) whose items a hold on that target id covers.
   * Placing or releasing such a hold changes the forecast of those orgs'
   * items of this category, so it must name every table `eligible` reads the
   * hold through.
   */
  heldBy?: Partial<Record<Exclude<HoldScope, "ORG">, (targetId: number) => Sql>>;
  /**
   * The categories whose rows purging one of these items changes (a foreign
   * key's ON DELETE SET NULL): their rows' size, and so their bytes, change
   * with it.
   */
  purgeChanges?: RetentionCategory[];
  /** Everything stored now, per org: (org_id, items, bytes). */
  inventory(orgIds: number[] | null): Sql;
  /**
   * What an export writes of these items (an int[] of ids), one row each in
   * id order, when purging takes more than the row of `table` (default:
   * that row, every column).
   */
  exportedRows?(ids: Sql): Sql;
  facts(tx: Tx, itemId: number): Promise<ItemFacts | null>;
} & (
    | {
        /**
         * Its rows are only ever added and deleted, never edited, and purging
         * one is deleting its row. Nothing about a row can then stop it being
         * eligible under a batch (its org's legal hold waits for the batch),
         * so a batch re-checks and deletes them in one statement instead of
         * locking them first. Given `only`, `eligible` also yields each row's
         * `row_ctid`: the batch deletes the row versions it re-checked by
         * their tuple ids, not by looking each id up again.
         */
        neverEdited: true;
        storesObjects: false;
      }
    | {
        neverEdited?: false;
        storesObjects: boolean;
        /**
         * With `keep`, the items go into their restore window: their rows
         * move to `kept_items`, and whatever else purging changes can be
         * put back from what is kept.
         */
        purgeRows(tx: Tx, ids: number[], keep?: Keep): Promise<number[]>;
        /** The table its kept rows come from and go back to, when not `table`. */
        keptTable?: string;
        /**
         * Puts back what purging these items changed elsewhere, once every
         * row of the restore is back: the kept rows' ids (`kept_items.id`).
         */
        putBack?(tx: Tx, keptIds: bigint[]): Promise<void>;
      }
  );

/** Rows that can change in place: a purge batch locks them before it re-checks them. */
export type EditableRowCategory = Extract<RowCategory, { purgeRows: unknown }>;

export type OrphanCandidate = { key: string; bytes: number; lastModified: Date };

/** A category whose items are objects in the bucket that no row references. */
export type ObjectCategory = CategoryBase & {
  kind: "objects";
  /** Lists one page of the org's prefix and keeps the unreferenced keys older than cutoff. */
  eligiblePage(
    tx: Tx,
    store: ObjectStore,
    orgId: number,
    cutoff: Date,
    cursor: string | null,
  ): Promise<{ candidates: OrphanCandidate[]; scanned: number; nextCursor: string | null }>;
  /** Of these keys, the ones still unreferenced now. */
  stillUnreferenced(tx: Tx, keys: string[]): Promise<Set<string>>;
};

export type Category = RowCategory | ObjectCategory;

/**
 * Deletes rows by id, or moves them into their restore window with `keep`,
 * and returns the ids that were there.
 */
export async function deleteRows(
  tx: Tx,
  table: string,
  ids: number[],
  keep?: Keep,
  options?: KeepOptions,
): Promise<number[]> {
  if (keep) return keepRows(tx, table, ids, keep, options);
  // One row holding an array: a thousand result rows cost more to decode than to delete.
  const [row] = await tx.$queryRaw<{ ids: number[] | null }[]>(sql`
    WITH deleted AS (DELETE FROM ${raw(table)} WHERE id = ANY(${ids}::int[]) RETURNING id)
    SELECT array_agg(id) AS ids FROM deleted`);
  return row?.ids ?? [];
}

/**
 * A row's bytes: its size as stored, a toasted value counted whole. Measured
 * on a record built from the row's columns (`ROW(t.*)` expands to them), not
 * on the whole-row value `t.*`: that value is formed in the scan, and where
 * the plan stores it on the way up (a hash join's inner side, a sort, a
 * materialized CTE) a record under 127 bytes is stored with a 1-byte varlena
 * header instead of 4, so the same row would measure 3 bytes less in some
 * plans than in others. The record is formed where its size is taken, from
 * the columns, laid out as the row is on disk whatever the plan; and only
 * for the rows a statement keeps, not for every row a join then discards.
 */
export function rowBytes(alias: string): string {
  return `pg_column_size(ROW(${alias}.*))::bigint`;
}

/** The bytes of the row aliased `t`: see rowBytes. */
export const ROW_BYTES = rowBytes("t");

/** Inventory of a plain table: item count and bytes (ROW_BYTES unless `bytes` says what). */
export function tableInventory(
  table: string,
  orgIds: number[] | null,
  options: { where?: Sql; bytes?: string } = {},
): Sql {
  const scope = orgIds ? sql`AND t.org_id = ANY(${orgIds}::int[])` : sql``;
  return sql`
    SELECT t.org_id, count(*)::bigint AS items,
           coalesce(sum(${raw(options.bytes ?? ROW_BYTES)}), 0)::bigint AS bytes
    FROM ${raw(table)} t
    WHERE ${options.where ?? sql`TRUE`} ${scope}
    GROUP BY t.org_id`;
}

/** A category whose rule is just "aged by <column> before the cutoff", plus extra conditions. */
export function agedRows(options: {
  table: string;
  agedBy: string;
  bytes?: string;
  objectKey?: string;
  where?: Sql;
}) {
  return (query: EligibleQuery) => sql`
    SELECT t.org_id, t.id AS item_id, ${raw(options.objectKey ?? "NULL::text")} AS object_key,
           ${raw(options.bytes ?? ROW_BYTES)} AS bytes, t.${raw(options.agedBy)} AS aged_at
    FROM ${raw(options.table)} t
    JOIN ${query.windows} w ON w.org_id = t.org_id
    WHERE t.${raw(options.agedBy)} < w.cutoff
      ${options.where ? sql`AND ${options.where}` : sql``}
      ${onlyIds(sql`t.id`, query.only)}`;
}

export const ACTIVE_HOLD = sql`h.released_at IS NULL`;

/**
 * Facts of one row of a plain table: its org, what ages it, and whether a
 * structural rule keeps it (`keptWhen` true → `keptBecause`).
 */
export function rowFacts(table: string, agedBy: string, keptWhen: Sql, keptBecause: string) {
  return async (tx: Tx, itemId: number): Promise<ItemFacts | null> => {
    const [row] = await tx.$queryRaw<{ org_id: number; aged_at: Date | null; kept: boolean }[]>(sql`
      SELECT t.org_id, t.${raw(agedBy)} AS aged_at, (${keptWhen}) AS kept
      FROM ${raw(table)} t WHERE t.id = ${itemId}`);
    if (!row) return null;
    return { orgId: row.org_id, agedAt: row.aged_at, keptBecause: row.kept ? keptBecause : null };
  };
}
