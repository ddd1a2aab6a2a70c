import { AppError } from "../errors";
import type { RetentionCategory } from "../generated/prisma/enums";
import type { Engine } from "../retention/deps";
import { restorableOfRun } from "../retention/restore/restorable";
import { finallyDeletedInScope } from "../retention/restore/scope";
import { sql } from "../retention/sql";

type Ended = { items: number; at: Date };

/**
 * A run's restore window as its page shows it, per org × category: what is
 * still restorable (the core's read model, the one definition of it), what
 * no longer is but awaits its final deletion (its window passed, or an
 * erasure covers it), what a restore brought back and what the final
 * deletion took, with org names.
 */
export async function runWindow(
  engine: Engine,
  runId: string,
  page: { offset: number; limit: number },
) {
  const { db } = engine;
  const run = await db.purgeRun.findUnique({ where: { id: runId }, select: { id: true } });
  if (!run) throw new AppError("NOT_FOUND", `No purge run ${runId}.`);
  const [restorable, notEnded, restored, finallyDeleted] = await Promise.all([
    restorableOfRun(engine, runId),
    db.keptItem.groupBy({
      by: ["orgId", "category"],
      where: { runId, restoredAt: null },
      _count: true,
    }),
    db.keptItem.groupBy({
      by: ["orgId", "category"],
      where: { runId, restoredAt: { not: null } },
      _count: true,
      _max: { restoredAt: true },
    }),
    db.$queryRaw<{ org_id: number; category: RetentionCategory; items: number; at: Date }[]>(sql`
      SELECT w.org_id, w.category, sum(cardinality(w.item_ids))::int AS items, max(w.created_at) AS at
      FROM window_batches w WHERE ${finallyDeletedInScope({ runId })}
      GROUP BY w.org_id, w.category`),
  ]);
  const key = (orgId: number, category: RetentionCategory) => `${orgId}:${category}`;
  const rows = new Map<
    string,
    {
      orgId: number;
      category: RetentionCategory;
      restorable: { items: number; bytes: bigint; until: Date } | null;
      awaiting: { items: number } | null;
      restored: Ended | null;
      finallyDeleted: Ended | null;
    }
  >();
  const row = (orgId: number, category: RetentionCategory) => {
    const found = rows.get(key(orgId, category));
    if (found) return found;
    const made = {
      orgId,
      category,
      restorable: null,
      awaiting: null,
      restored: null,
      finallyDeleted: null,
    };
    rows.set(key(orgId, category), made);
    return made;
  };
  for (const r of restorable)
    row(r.orgId, r.category).restorable = {
      items: r.items,
      bytes: r.bytes,
      until: r.restorableUntil,
    };
  for (const r of notEnded) {
    const kept = row(r.orgId, r.category);
    const items = r._count - (kept.restorable?.items ?? 0);
    if (items > 0) kept.awaiting = { items };
  }
  for (const r of restored)
    if (r._max.restoredAt)
      row(r.orgId, r.category).restored = { items: r._count, at: r._max.restoredAt };
  for (const r of finallyDeleted)
    row(r.org_id, r.category).finallyDeleted = { items: r.items, at: r.at };
  // The run's order: by org, then category (a daily run's window spans every org: one page at a time).
  const ordered = [...rows.values()].sort(
    (a, b) => a.orgId - b.orgId || a.category.localeCompare(b.category),
  );
  const shown = ordered.slice(page.offset, page.offset + page.limit);
  const orgs = await db.organization.findMany({
    where: { id: { in: [...new Set(shown.map((r) => r.orgId))] } },
    select: { id: true, name: true },
  });
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  return {
    rows: shown.map((r) => ({ ...r, orgName: names.get(r.orgId) ?? `org ${r.orgId}` })),
    rowCount: ordered.length,
    restorable: {
      items: restorable.reduce((sum, r) => sum + r.items, 0),
      bytes: restorable.reduce((sum, r) => sum + r.bytes, 0n),
    },
    restored: { items: restored.reduce((sum, r) => sum + r._count, 0) },
  };
}
