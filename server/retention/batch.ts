import { createHash } from "node:crypto";
import type { RetentionCategory } from "../generated/prisma/enums";
import type { BackupEnvironment } from "./defaults";
import type { ObjectCategory, RowCategory } from "./categories/category";
import { category as categoryOf } from "./category-lookup";
import type { Engine } from "./engine";
import { raw, sql, windowsRelation, type OrgWindow, type Tx } from "./sql";

/** What a task needs to purge its next batch: the plan's frozen terms for one org × category. */
export type TaskTerms = {
  taskId: number;
  runId: string;
  planId: string;
  orgId: number;
  category: RetentionCategory;
  window: OrgWindow;
  keepNewest: Record<BackupEnvironment, number>;
  memberId?: number;
};

type ManifestItem = {
  id: bigint;
  item_id: number | null;
  object_key: string | null;
  bytes: bigint;
};
type Skip = { id: bigint; reason: string };
type Outcome = {
  deleted: { id: bigint; key: string; bytes: bigint }[];
  skipped: Skip[];
  failed: Skip[];
};

const REASON_LOOKUPS_PER_BATCH = 20;

/** SHA-256 of one batch's ids: `CATEGORY:orgId:` then the sorted ids, comma-separated. */
export function batchDigest(category: RetentionCategory, orgId: number, ids: string[]) {
  return createHash("sha256")
    .update(`${category}:${orgId}:${[...ids].sort().join(",")}`)
    .digest("hex");
}

async function orgHeld(tx: Tx, orgId: number) {
  const rows = await tx.$queryRaw<{ id: number }[]>(sql`
    SELECT id FROM legal_holds WHERE org_id = ${orgId} AND scope = 'ORG' AND released_at IS NULL LIMIT 1`);
  return rows[0] ? `legal hold #${rows[0].id} on the organization` : null;
}

/** Why an item of the manifest is not purged now; looked up for the first few of a batch. */
async function skipReasons(tx: Tx, category: RowCategory, items: ManifestItem[]): Promise<Skip[]> {
  const skips: Skip[] = [];
  for (const [i, item] of items.entries()) {
    let reason = "no longer eligible under the plan's frozen terms";
    if (i < REASON_LOOKUPS_PER_BATCH && item.item_id !== null) {
      const facts = await category.facts(tx, item.item_id);
      reason = !facts
        ? "already gone"
        : facts.keptBecause
          ? `kept now: ${facts.keptBecause}`
          : reason;
    }
    skips.push({ id: item.id, reason });
  }
  return skips;
}

/**
 * Rows: re-check the manifest's items against the frozen window now (a new
 * hold, a reopened incident, a newer backup kept… drop them), delete the
 * objects of the rest, then only the rows whose objects are confirmed gone.
 */
async function purgeRows(
  tx: Tx,
  engine: Engine,
  category: RowCategory,
  terms: TaskTerms,
  items: ManifestItem[],
): Promise<Outcome> {
  const ids = items.map((i) => i.item_id).filter((id): id is number => id !== null);
  // Lock the items' rows first, in id order: a second run purging the same
  // items waits here, then finds them gone. Two runs never work an item at once.
  await tx.$queryRaw(
    sql`SELECT id FROM ${raw(category.table)} WHERE id = ANY(${ids}::int[]) ORDER BY id FOR UPDATE`,
  );
  const still = await tx.$queryRaw<{ item_id: number; object_key: string | null }[]>(sql`
    WITH windows AS NOT MATERIALIZED ${windowsRelation([terms.window])}
    SELECT e.item_id, e.object_key FROM (${category.eligible({
      windows: sql`windows`,
      only: ids,
      keepNewest: terms.keepNewest,
      memberId: terms.memberId,
    })}) e`);
  const eligible = new Map(still.map((s) => [s.item_id, s]));
  const held = await orgHeld(tx, terms.orgId);
  const notEligible = items.filter((i) => i.item_id === null || !eligible.has(i.item_id));
  const skipped = held
    ? notEligible.map((i) => ({ id: i.id, reason: `kept now: ${held}` }))
    : await skipReasons(tx, category, notEligible);
  let candidates = items.filter((i) => i.item_id !== null && eligible.has(i.item_id));
  const failed: Skip[] = [];
  if (category.storesObjects && candidates.length > 0) {
    const keys = candidates.map((c) => eligible.get(c.item_id as number)?.object_key ?? "");
    const outcome = await engine.store.deleteMany(keys);
    const gone = new Set(outcome.deleted);
    const why = new Map(outcome.failed.map((f) => [f.key, f.reason]));
    const kept = candidates.filter(
      (c) => !gone.has(eligible.get(c.item_id as number)?.object_key ?? ""),
    );
    for (const c of kept) {
      failed.push({
        id: c.id,
        reason: `object not deleted: ${why.get(eligible.get(c.item_id as number)?.object_key ?? "") ?? "unknown"}`,
      });
    }
    candidates = candidates.filter((c) => !kept.includes(c));
  }
  const purged = new Set(
    await category.purgeRows(
      tx,
      candidates.map((c) => c.item_id as number),
    ),
  );
  const deleted = [];
  for (const c of candidates) {
    const id = c.item_id as number;
    // The plan's frozen bytes: a row's size can change before its turn (an
    // analysis loses its artifact link when the artifact goes first), and
    // bytes freed must not depend on the order tasks ran in.
    if (purged.has(id)) deleted.push({ id: c.id, key: String(id), bytes: c.bytes });
    else skipped.push({ id: c.id, reason: "already gone" });
  }
  return { deleted, skipped, failed };
}

/** Orphan objects: skip any a row references by now, delete the rest. */
async function purgeOrphans(
  tx: Tx,
  engine: Engine,
  category: ObjectCategory,
  terms: TaskTerms,
  items: ManifestItem[],
): Promise<Outcome> {
  const held = await orgHeld(tx, terms.orgId);
  if (held)
    return {
      deleted: [],
      skipped: items.map((i) => ({ id: i.id, reason: `kept now: ${held}` })),
      failed: [],
    };
  const keys = items.map((i) => i.object_key ?? "");
  const free = await category.stillUnreferenced(tx, keys);
  const skipped = items
    .filter((i) => !free.has(i.object_key ?? ""))
    .map((i) => ({ id: i.id, reason: "kept now: a row references it" }));
  const candidates = items.filter((i) => free.has(i.object_key ?? ""));
  const outcome = await engine.store.deleteMany(candidates.map((c) => c.object_key ?? ""));
  const gone = new Set(outcome.deleted);
  const why = new Map(outcome.failed.map((f) => [f.key, f.reason]));
  return {
    deleted: candidates
      .filter((c) => gone.has(c.object_key ?? ""))
      .map((c) => ({ id: c.id, key: c.object_key ?? "", bytes: c.bytes })),
    skipped,
    failed: candidates
      .filter((c) => !gone.has(c.object_key ?? ""))
      .map((c) => ({
        id: c.id,
        reason: `object not deleted: ${why.get(c.object_key ?? "") ?? "unknown"}`,
      })),
  };
}

async function record(tx: Tx, terms: TaskTerms, outcome: Outcome, began: number) {
  const setState = async (state: "SKIPPED" | "FAILED", rows: Skip[]) => {
    if (rows.length === 0) return;
    await tx.$executeRaw(sql`
      UPDATE plan_items p SET state = ${state}::"PlanItemState", skip_reason = r.reason
      FROM unnest(${rows.map((r) => r.id.toString())}::bigint[], ${rows.map((r) => r.reason)}::text[]) AS r(id, reason)
      WHERE p.id = r.id`);
  };
  if (outcome.deleted.length) {
    await tx.$executeRaw(sql`
      UPDATE plan_items SET state = 'DELETED' WHERE id = ANY(${outcome.deleted.map((d) => d.id.toString())}::bigint[])`);
  }
  await setState("SKIPPED", outcome.skipped);
  await setState("FAILED", outcome.failed);
  const bytes = outcome.deleted.reduce((sum, d) => sum + d.bytes, 0n);
  const [task] = await tx.$queryRaw<{ batches: number }[]>(sql`
    UPDATE purge_tasks SET
      batches = batches + 1, deleted = deleted + ${outcome.deleted.length}, skipped = skipped + ${outcome.skipped.length},
      failed = failed + ${outcome.failed.length}, bytes_freed = bytes_freed + ${bytes}::bigint,
      last_error = COALESCE(${outcome.failed[0]?.reason ?? null}, last_error),
      longest_batch_ms = greatest(longest_batch_ms, ${Math.round(performance.now() - began)})
    WHERE id = ${terms.taskId} RETURNING batches`);
  if (outcome.deleted.length && task) {
    const ids = outcome.deleted.map((d) => d.key);
    await tx.manifestBatch.create({
      data: {
        runId: terms.runId,
        taskId: terms.taskId,
        batchNo: task.batches,
        orgId: terms.orgId,
        category: terms.category,
        itemIds: [...ids].sort(),
        sha256: batchDigest(terms.category, terms.orgId, ids),
        bytes,
      },
    });
  }
}

/**
 * Purges the next batch of a task's manifest in one transaction. The org row
 * is share-locked so a legal hold placed meanwhile waits for this batch (or
 * is seen by it), and the manifest rows are locked: a second worker on the
 * same task waits, then takes only what is still pending. Objects go first; a row goes only once its object is
 * gone. A crash anywhere rolls the rows back; their objects, if already
 * deleted, count as deleted on the retry. Returns false when nothing is left.
 */
export async function purgeNextBatch(engine: Engine, terms: TaskTerms): Promise<boolean> {
  return engine.db.$transaction(
    async (tx) => {
      const began = performance.now();
      const timeoutMs = engine.settings.batchStatementTimeoutMs ?? 60_000;
      await tx.$executeRaw(sql`SELECT set_config('statement_timeout', ${`${timeoutMs}ms`}, true)`);
      await tx.$queryRaw(sql`SELECT id FROM organizations WHERE id = ${terms.orgId} FOR SHARE`);
      const items = await tx.$queryRaw<ManifestItem[]>(sql`
        SELECT id, item_id, object_key, bytes FROM plan_items
        WHERE plan_id = ${terms.planId} AND org_id = ${terms.orgId}
          AND category = ${terms.category}::"RetentionCategory" AND state = 'PENDING'
        ORDER BY id LIMIT ${engine.settings.batchSize}
        FOR UPDATE`);
      if (items.length === 0) return false;
      const category = categoryOf(terms.category);
      const outcome =
        category.kind === "rows"
          ? await purgeRows(tx, engine, category, terms, items)
          : await purgeOrphans(tx, engine, category, terms, items);
      await record(tx, terms, outcome, began);
      return true;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
