import type { Category, ObjectCategory, RowCategory } from "../categories/category";
import { isSwept } from "../categories";
import type { Engine } from "../deps";
import { backupKeep } from "../policy/effective-window";
import { windowsRelation, type OrgWindow } from "../policy/org-windows";
import { sql, type Sql, type Tx } from "../sql";
import { EMPTY_PART_DIGEST, partDigestSql, type Part } from "./manifest-hash";

/** What writing one part of a manifest narrows the category's rule to. */
export type Narrow = {
  memberId?: number;
  only?: Sql;
  /** A swept category's planning step: the item ids it covers, inclusive. */
  itemRange?: { first: bigint; last: bigint };
  /** Drift checks: the latest checks its plan found already (see EligibleQuery). */
  latestChecks?: Sql;
};

/** The part of a manifest one call wrote, and each org's stored objects (orphans). */
export type Collected = Part & { stored: Map<number, number> };

const EMPTY: Part = { digest: EMPTY_PART_DIGEST, items: 0n, bytes: 0n };

/**
 * Writes the eligible rows of one category into the plan's manifest,
 * set-based: in item order for a swept category, whose sweeps walk the
 * manifest in id order (see run/sweeps/), by org otherwise. The digest of
 * what it wrote comes from the same statement.
 */
async function collectRows(
  tx: Tx,
  planId: string,
  category: RowCategory,
  windows: OrgWindow[],
  engine: Engine,
  narrow: Narrow,
) {
  const range = narrow.itemRange
    ? sql`WHERE e.item_id BETWEEN ${narrow.itemRange.first} AND ${narrow.itemRange.last}`
    : sql``;
  const [row] = await tx.$queryRaw<Part[]>(sql`
    WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)},
    written AS (
      INSERT INTO plan_items (plan_id, org_id, category, item_id, object_key, bytes, eligible_at, newer_item_id)
      SELECT ${planId}, e.org_id, ${category.key}::"RetentionCategory", e.item_id, e.object_key, e.bytes,
             e.aged_at + make_interval(days => w.days), ${category.recordsNewer ? sql`e.newer_item_id` : sql`NULL::int`}
      FROM (${category.eligible({ windows: sql`windows`, keepNewest: backupKeep(engine.settings.policy), memberId: narrow.memberId, only: narrow.only, latestChecks: narrow.latestChecks })}) e
      JOIN windows w ON w.org_id = e.org_id
      ${range}
      ORDER BY ${isSwept(category.key) ? sql`e.item_id` : sql`e.org_id, e.item_id`}
      RETURNING id, category, org_id, item_id, object_key, bytes)
    ${partDigestSql(sql`written`)}`);
  return row ?? EMPTY;
}

/**
 * Lists each org's prefix page by page and writes the unreferenced objects
 * older than the window into the manifest. Returns how many objects each
 * org stores, for the guardrail's share.
 */
async function collectOrphans(
  tx: Tx,
  planId: string,
  category: ObjectCategory,
  windows: OrgWindow[],
  engine: Engine,
) {
  const stored = new Map<number, number>();
  const unheld = await tx.$queryRaw<{ org_id: number; days: number; cutoff: Date }[]>(
    sql`SELECT org_id, days, cutoff FROM ${windowsRelation(windows)} w ORDER BY org_id`,
  );
  for (const w of unheld) {
    let cursor: string | null = null;
    let count = 0;
    do {
      const page = await category.eligiblePage(tx, engine.store, w.org_id, w.cutoff, cursor);
      cursor = page.nextCursor;
      count += page.scanned;
      const found = page.candidates;
      if (found.length === 0) continue;
      await tx.$executeRaw(sql`
        INSERT INTO plan_items (plan_id, org_id, category, object_key, bytes, eligible_at)
        SELECT ${planId}, ${w.org_id}, ${category.key}::"RetentionCategory", k.key, k.bytes,
               k.modified + make_interval(days => ${w.days}::int)
        FROM unnest(${found.map((o) => o.key)}::text[], ${found.map((o) => o.bytes)}::bigint[],
                    ${found.map((o) => o.lastModified.toISOString())}::timestamptz[]) AS k(key, bytes, modified)`);
    } while (cursor);
    stored.set(w.org_id, count);
  }
  const orgIds = windows.map((w) => w.orgId);
  const [row] = await tx.$queryRaw<Part[]>(
    partDigestSql(sql`(SELECT id, category, org_id, item_id, object_key, bytes FROM plan_items
      WHERE plan_id = ${planId} AND category = ${category.key}::"RetentionCategory"
        AND org_id = ANY(${orgIds}::int[]))`),
  );
  return { ...(row ?? EMPTY), stored };
}

/**
 * Writes one category's eligible items under these windows into the plan's
 * manifest: the whole of a plan written at once, or one planning step's part.
 */
export async function collect(
  tx: Tx,
  planId: string,
  category: Category,
  windows: OrgWindow[],
  engine: Engine,
  narrow: Narrow = {},
): Promise<Collected> {
  if (category.kind === "objects") return collectOrphans(tx, planId, category, windows, engine);
  const part =
    windows.length === 0 ? EMPTY : await collectRows(tx, planId, category, windows, engine, narrow);
  return { ...part, stored: new Map() };
}
