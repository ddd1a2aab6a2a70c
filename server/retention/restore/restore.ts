import type { RetentionCategory } from "../../generated/prisma/enums";
import { AppError } from "../../errors";
import { CATEGORIES } from "../categories";
import type { Engine } from "../deps";
import { actorKey, appendAudit, type Actor } from "../evidence/audit-log";
import { putBackRows } from "../categories/keep";
import { markDirty, restorePairs } from "../forecast/dirty-pairs";
import { sql, type Tx } from "../sql";
import { describeScope, inScope, restorableAt, type RestoreScope } from "./scope";
import { whyNotRestorable } from "./refusal";
import { writeWindowBatches } from "./window-batches";

export type RestoreResult = { restoreId: string; items: number; bytes: bigint };

type Locked = { id: bigint; org_id: number; category: RetentionCategory; bytes: bigint };

/**
 * Puts the kept rows back into their live tables, with their ids and every
 * column as they were, in the registry's order (an artifact before the
 * image analyses that reference it), then what their purge changed
 * elsewhere (an incident's banner, an artifact's analyses' reference).
 */
async function putRowsBack(tx: Tx, locked: Locked[]) {
  const restored = CATEGORIES.flatMap((category) => {
    if (category.kind !== "rows" || category.neverEdited) return [];
    const ids = locked.filter((k) => k.category === category.key).map((k) => k.id);
    return ids.length ? [{ category, ids }] : [];
  });
  for (const { category, ids } of restored)
    await putBackRows(tx, category.keptTable ?? category.table, ids, category.restoredRow);
  for (const { category, ids } of restored) await category.putBack?.(tx, ids);
}

/**
 * Restores what a run purged into its restore window (ADMIN): the whole
 * run, one org × category of it, or one item, exactly as it was. The kept
 * rows are locked (a final deletion marks them under the same lock, and a
 * marked row is not restored), put back, marked restored and cleared; the
 * restore is audited and writes its own manifest. Refuses with why when
 * nothing of the scope is restorable, changing nothing.
 */
export async function restoreItems(
  engine: Engine,
  scope: RestoreScope,
  actor: Actor,
): Promise<RestoreResult> {
  const now = engine.now();
  return engine.db.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<Locked[]>(sql`
        SELECT k.id, k.org_id, k.category, k.bytes FROM kept_items k
        WHERE ${inScope(scope)} AND ${restorableAt(now)}
        ORDER BY k.id FOR UPDATE`);
      if (locked.length === 0)
        throw new AppError("PRECONDITION", await whyNotRestorable(tx, scope, now));
      await putRowsBack(tx, locked);
      const ids = locked.map((k) => k.id);
      const bytes = locked.reduce((sum, k) => sum + BigInt(k.bytes), 0n);
      const restore = await tx.restore.create({
        data: {
          runId: scope.runId,
          orgId: scope.orgId ?? null,
          category: scope.category ?? null,
          itemId: scope.itemId ?? null,
          actor: actorKey(actor),
          actorId: actor === "system" ? null : actor.id,
          items: locked.length,
          bytes,
        },
      });
      await writeWindowBatches(tx, { restoreId: restore.id }, ids);
      await markDirty(tx, restorePairs(ids));
      await tx.$executeRaw(sql`
        UPDATE kept_items SET restored_at = ${now}::timestamptz, restore_id = ${restore.id},
                              row = NULL, links = NULL
        WHERE id = ANY(${ids}::bigint[])`);
      const orgs = [...new Set(locked.map((k) => k.org_id))];
      await appendAudit(tx, {
        actor,
        action: "purge.restored",
        orgId: orgs.length === 1 ? (orgs[0] ?? null) : null,
        target: `run:${scope.runId}`,
        details: {
          restoreId: restore.id,
          scope: describeScope(scope),
          items: locked.length,
          bytes,
          orgs: orgs.length,
        },
      });
      engine.log
        .child({ runId: scope.runId, orgId: scope.orgId, category: scope.category })
        .info({ restoreId: restore.id, items: locked.length }, "items restored");
      return { restoreId: restore.id, items: locked.length, bytes };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
