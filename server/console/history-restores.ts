import type { Db } from "../db";
import type { RetentionCategory } from "../generated/prisma/enums";
import { sql } from "../retention/sql";
import { auditActor } from "../retention/evidence/actor-label";
import { inWindow, newestFirst, RANKS, type HistoryWindow } from "./history-keyset";

/**
 * Restores that brought back something of the org, with what came back per
 * category: their window batches, the restore's evidence per org ×
 * category, say it (a restore of a whole run spans its orgs). Restores are
 * an admin's rare act: walking them newest first stays cheap.
 */
export async function restoreEntries(db: Db, w: HistoryWindow) {
  const restores = await db.$queryRaw<
    { id: string; at: Date; runId: string; actor: string; actorId: number | null }[]
  >(sql`
    SELECT r.id, r.restored_at AS at, r.run_id AS "runId", r.actor, r.actor_id AS "actorId"
    FROM restores r
    WHERE EXISTS (SELECT 1 FROM window_batches b WHERE b.restore_id = r.id AND b.org_id = ${w.orgId})
      ${inWindow(sql`r.restored_at`, sql`r.id`, "text", RANKS.restore, w)}
    ${newestFirst(sql`r.restored_at`, sql`r.id`, "text")}
    LIMIT ${w.limit}`);
  const batches = await db.$queryRaw<
    { restoreId: string; category: RetentionCategory; items: number; bytes: bigint }[]
  >(sql`
    SELECT restore_id AS "restoreId", category, sum(cardinality(item_ids))::int AS items,
           sum(bytes)::bigint AS bytes
    FROM window_batches
    WHERE restore_id = ANY(${restores.map((r) => r.id)}::text[]) AND org_id = ${w.orgId}
    GROUP BY restore_id, category ORDER BY category`);
  return restores.map((restore) => ({
    place: { at: restore.at, rank: RANKS.restore, id: restore.id },
    who: auditActor({ ...restore, details: null }),
    entry: {
      kind: "restore" as const,
      restoreId: restore.id,
      runId: restore.runId,
      categories: batches
        .filter((b) => b.restoreId === restore.id)
        .map(({ category, items, bytes }) => ({ category, items, bytes: BigInt(bytes) })),
    },
  }));
}
