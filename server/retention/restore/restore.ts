import type { RetentionCategory } from "../../generated/prisma/enums";
import { AppError } from "../../errors";
import { CATEGORIES } from "../categories";
import type { Engine } from "../deps";
import { actorKey, appendAudit, type Actor } from "../evidence/audit-log";
import { takeSnapshot, type StoredChange } from "../evidence/storage-snapshots";
import { putBackRows } from "../categories/keep";
import { markDirty, restorePairs } from "../forecast/dirty-pairs";
import { sql, type Tx } from "../sql";
import { describeScope, inScope, restorableAt, RESTORING, type RestoreScope } from "./scope";
import { whyNotRestorable } from "./refusal";
import { restoreReferences } from "./references";
import { writeWindowBatches } from "./window-batches";

export type RestoreResult = { restoreId: string; items: number; bytes: bigint };

type Locked = { id: bigint; org_id: number; category: RetentionCategory; bytes: bigint };

/**
 * Kept rows restored per transaction: a daily run keeps far more than one
 * transaction should hold (749,000 artifacts at 10,000 orgs).
 */
const RESTORE_BATCH = 5_000;

/** The categories a restore of `scope` walks, in the registry's order. */
const categoriesOf = (scope: RestoreScope) =>
  CATEGORIES.flatMap((c) =>
    c.kind === "rows" && !c.neverEdited && (!scope.category || c.key === scope.category) ? [c] : [],
  );

type Restorable = ReturnType<typeof categoriesOf>[number];

/**
 * One transaction of a restore: under the marks' gate (RESTORING: no final
 * deletion writes a mark meanwhile, and a marked row is not restored), the
 * next kept rows of `category` in scope are locked, put back into their live table with their ids and
 * every column as they were, and marked restored, with their window
 * batches. The first one creates the restore and audits it with what the
 * scope then held. Returns what it restored, or null when nothing of the
 * category is left.
 */
async function restoreBatch(
  engine: Engine,
  scope: RestoreScope,
  category: Restorable,
  actor: Actor,
  restoreId: string | null,
) {
  const now = engine.now();
  return engine.db.$transaction(
    async (tx) => {
      await tx.$executeRaw(sql`SELECT ${RESTORING}`);
      const locked = await tx.$queryRaw<Locked[]>(sql`
        SELECT k.id, k.org_id, k.category, k.bytes FROM kept_items k
        WHERE ${inScope(scope)} AND k.category = ${category.key}::"RetentionCategory" AND ${restorableAt(now)}
        ORDER BY k.id LIMIT ${RESTORE_BATCH} FOR UPDATE`);
      if (locked.length === 0) return null;
      const id = restoreId ?? (await startRestore(tx, scope, actor, now));
      const ids = locked.map((k) => k.id);
      const table = category.keptTable ?? category.table;
      const references = await restoreReferences(tx, table);
      await references.refuse(sql`k.id = ANY(${ids}::bigint[])`, describeScope(scope));
      await putBackRows(tx, table, ids, references.restoredRow);
      const bytes = locked.reduce((sum, k) => sum + BigInt(k.bytes), 0n);
      await writeWindowBatches(tx, { restoreId: id }, ids);
      await markDirty(tx, restorePairs(ids));
      await tx.$executeRaw(sql`
        UPDATE kept_items SET restored_at = ${now}::timestamptz, restore_id = ${id}
        WHERE id = ANY(${ids}::bigint[])`);
      await tx.restore.update({
        where: { id },
        data: { items: { increment: locked.length }, bytes: { increment: bytes } },
      });
      return { restoreId: id, items: locked.length, bytes };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * Once every row of the scope is back: what their purge changed elsewhere
 * is put back (an artifact's image analyses point at it again, whichever
 * came back first), and the kept rows are cleared, a batch at a time.
 * Rows restored by a restore cut off before this are finished here too.
 * Returns whether there was anything to finish.
 */
async function finishRestored(engine: Engine, scope: RestoreScope, category: Restorable) {
  let any = false;
  for (;;) {
    const done = await engine.db.$transaction(
      async (tx) => {
        const ids = (
          await tx.$queryRaw<{ id: bigint }[]>(sql`
            SELECT k.id FROM kept_items k
            WHERE ${inScope(scope)} AND k.category = ${category.key}::"RetentionCategory"
              AND k.restored_at IS NOT NULL AND k.row IS NOT NULL
            ORDER BY k.id LIMIT ${RESTORE_BATCH} FOR UPDATE`)
        ).map((k) => k.id);
        if (ids.length === 0) return false;
        await category.putBack?.(tx, ids);
        await tx.$executeRaw(
          sql`UPDATE kept_items SET row = NULL, links = NULL WHERE id = ANY(${ids}::bigint[])`,
        );
        return true;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    if (!done) return any;
    any = true;
  }
}

/** The restore's row, and its audit entry with what the scope holds restorable now. */
async function startRestore(tx: Tx, scope: RestoreScope, actor: Actor, now: Date) {
  const [held] = await tx.$queryRaw<{ items: number; bytes: bigint; orgs: number[] }[]>(sql`
    SELECT count(*)::int AS items, coalesce(sum(k.bytes), 0)::bigint AS bytes,
           array_agg(DISTINCT k.org_id) AS orgs
    FROM kept_items k WHERE ${inScope(scope)} AND ${restorableAt(now)}`);
  const restore = await tx.restore.create({
    data: {
      runId: scope.runId,
      orgId: scope.orgId ?? null,
      category: scope.category ?? null,
      itemId: scope.itemId ?? null,
      actor: actorKey(actor),
      actorId: actor === "system" ? null : actor.id,
      items: 0,
      bytes: 0n,
    },
  });
  const orgs = held?.orgs ?? [];
  await appendAudit(tx, {
    actor,
    action: "purge.restored",
    orgId: orgs.length === 1 ? (orgs[0] ?? null) : null,
    target: `run:${scope.runId}`,
    details: {
      restoreId: restore.id,
      scope: describeScope(scope),
      items: held?.items ?? 0,
      bytes: held?.bytes ?? 0n,
      orgs: orgs.length,
    },
  });
  return restore.id;
}

/**
 * Before anything is restored: refuses the whole scope when a row of it
 * references what is gone and may not come back without it (references.ts),
 * so such a restore changes nothing. Each batch checks its own rows again.
 */
async function refuseDangling(engine: Engine, scope: RestoreScope, categories: Restorable[]) {
  const now = engine.now();
  await engine.db.$transaction(
    async (tx) => {
      for (const category of categories) {
        const references = await restoreReferences(tx, category.keptTable ?? category.table);
        await references.refuse(
          sql`${inScope(scope)} AND k.category = ${category.key}::"RetentionCategory" AND ${restorableAt(now)}`,
          describeScope(scope),
        );
      }
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * The orgs × categories a restore put items back in: today's snapshot takes
 * them again, as after a run, so the stored totals count them.
 */
async function restoredChange(engine: Engine, scope: RestoreScope, restoreId: string) {
  // The scope's kept rows, by the run's index, rather than every kept row for the restore id.
  const rows = await engine.db.$queryRaw<{ org_id: number; category: RetentionCategory }[]>(sql`
    SELECT DISTINCT k.org_id, k.category FROM kept_items k
    WHERE ${inScope(scope)} AND k.restore_id = ${restoreId}`);
  return {
    orgIds: [...new Set(rows.map((r) => r.org_id))],
    categories: [...new Set(rows.map((r) => r.category))],
  } satisfies StoredChange;
}

/**
 * Restores what a run purged into its restore window (ADMIN): the whole
 * run, one org × category of it, or one item, exactly as it was: its rows
 * a batch at a time in the registry's order (an artifact before the image
 * analyses that reference it), then what their purge changed elsewhere.
 * The restore is audited and writes its own manifest. Refuses with why when
 * nothing of the scope is restorable, or when a row of it references what
 * is gone and may not come back without it, changing nothing. Cut off halfway,
 * what it put back stays back, counted on its restore; restoring the scope
 * again brings and finishes the rest.
 */
export async function restoreItems(
  engine: Engine,
  scope: RestoreScope,
  actor: Actor,
): Promise<RestoreResult> {
  const result: RestoreResult = { restoreId: "", items: 0, bytes: 0n };
  const categories = categoriesOf(scope);
  await refuseDangling(engine, scope, categories);
  for (const category of categories)
    for (;;) {
      const batch = await restoreBatch(engine, scope, category, actor, result.restoreId || null);
      if (!batch) break;
      result.restoreId = batch.restoreId;
      result.items += batch.items;
      result.bytes += batch.bytes;
    }
  let finished = false;
  for (const category of categories)
    finished = (await finishRestored(engine, scope, category)) || finished;
  if (!result.restoreId && finished) return result;
  if (!result.restoreId) {
    const why = await engine.db.$transaction((tx) => whyNotRestorable(tx, scope, engine.now()));
    throw new AppError("PRECONDITION", why);
  }
  engine.log
    .child({ runId: scope.runId, orgId: scope.orgId, category: scope.category })
    .info({ restoreId: result.restoreId, items: result.items }, "items restored");
  await takeSnapshot(engine.db, new Date(), await restoredChange(engine, scope, result.restoreId));
  return result;
}
