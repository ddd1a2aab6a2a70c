import { purgeActor } from "../retention/evidence/actor-label";
import type { Db } from "../db";
import type { PurgeTrigger, RunStatus } from "../generated/prisma/enums";
import { categoryOf } from "../retention/categories";
import { sql } from "../retention/sql";
import { inWindow, newestFirst, RANKS, type HistoryWindow } from "./history-keyset";

/**
 * The runs that had something of the org to purge (a run has a task for
 * each org × category its plan found items due in), with what each did to
 * the org per category. Runs are a few a day: walking them newest first
 * and probing each for the org's task stays cheap over years.
 */
export async function runEntries(db: Db, w: HistoryWindow) {
  const runs = await db.$queryRaw<
    {
      id: string;
      trigger: PurgeTrigger;
      status: RunStatus;
      startedAt: Date;
      finishedAt: Date | null;
      startedById: number | null;
      startedByTokenId: number | null;
      erasureId: number | null;
    }[]
  >(sql`
    SELECT r.id, r.trigger, r.status, r.started_at AS "startedAt", r.finished_at AS "finishedAt",
           r.started_by_id AS "startedById",
           r.started_by_token_id AS "startedByTokenId", p.erasure_id AS "erasureId"
    FROM purge_runs r JOIN purge_plans p ON p.id = r.plan_id
    WHERE EXISTS (SELECT 1 FROM purge_tasks t WHERE t.run_id = r.id AND t.org_id = ${w.orgId})
      ${inWindow(sql`r.started_at`, sql`r.id`, "text", RANKS.run, w)}
    ${newestFirst(sql`r.started_at`, sql`r.id`, "text")}
    LIMIT ${w.limit}`);
  const tasks = await db.purgeTask.findMany({
    where: { orgId: w.orgId, runId: { in: runs.map((r) => r.id) } },
    select: {
      runId: true,
      category: true,
      deleted: true,
      skipped: true,
      failed: true,
      bytesFreed: true,
    },
  });
  const windows = await windowsOf(
    db,
    w.orgId,
    runs.map((r) => r.id),
  );
  return runs.map((run) => {
    const mine = tasks.filter((t) => t.runId === run.id);
    return {
      place: { at: run.startedAt, rank: RANKS.run, id: run.id },
      who: purgeActor({
        trigger: run.trigger,
        userId: run.startedById,
        tokenId: run.startedByTokenId,
      }),
      entry: {
        kind: "run" as const,
        runId: run.id,
        trigger: run.trigger,
        status: run.status,
        finishedAt: run.finishedAt,
        erasureId: run.erasureId,
        categories: mine
          .filter((t) => t.deleted + t.skipped + t.failed > 0)
          .sort((a, b) => Number(b.bytesFreed - a.bytesFreed) || b.deleted - a.deleted)
          .map((t) => ({
            category: t.category,
            archived: categoryOf(t.category).action === "archive",
            deleted: t.deleted,
            skipped: t.skipped,
            failed: t.failed,
            bytesFreed: t.bytesFreed,
            window: windows.get(`${run.id}:${t.category}`) ?? null,
          })),
      },
    };
  });
}

/**
 * What became of the org's items each run purged into a restore window,
 * per run × category: still waiting (their bytes are freed when the window
 * ends, so the task's bytes freed leave them out), restored, and the bytes
 * their final deletion freed.
 */
async function windowsOf(db: Db, orgId: number, runIds: string[]) {
  const rows = await db.$queryRaw<
    {
      run_id: string;
      category: string;
      waiting: number;
      waiting_bytes: bigint;
      restored: number;
      freed_after: bigint;
    }[]
  >(sql`
    WITH kept AS (
      SELECT run_id, category,
             count(*) FILTER (WHERE restored_at IS NULL)::int AS waiting,
             coalesce(sum(bytes) FILTER (WHERE restored_at IS NULL), 0)::bigint AS waiting_bytes,
             count(*) FILTER (WHERE restored_at IS NOT NULL)::int AS restored
      FROM kept_items WHERE org_id = ${orgId} AND run_id = ANY(${runIds}::text[])
      GROUP BY run_id, category),
    final AS (
      SELECT kept_by_run_id AS run_id, category, sum(bytes)::bigint AS freed_after
      FROM window_batches
      WHERE final_run_id IS NOT NULL AND org_id = ${orgId} AND kept_by_run_id = ANY(${runIds}::text[])
      GROUP BY kept_by_run_id, category)
    SELECT run_id, category::text, coalesce(k.waiting, 0) AS waiting,
           coalesce(k.waiting_bytes, 0)::bigint AS waiting_bytes, coalesce(k.restored, 0) AS restored,
           coalesce(f.freed_after, 0)::bigint AS freed_after
    FROM kept k FULL JOIN final f USING (run_id, category)`);
  return new Map(
    rows.map((r) => [
      `${r.run_id}:${r.category}`,
      {
        waiting: r.waiting,
        waitingBytes: r.waiting_bytes,
        restored: r.restored,
        freedAfter: r.freed_after,
      },
    ]),
  );
}

export type PreviewOutcome = "open" | "expired" | "discarded";

/**
 * Previews that named the org and did not become a run (a confirmed one is
 * its run). Once an expired or discarded preview's entries are cleaned up,
 * the org's share of it is known only if it was the preview's one org.
 */
export async function previewEntries(db: Db, w: HistoryWindow, now: Date) {
  const plans = await db.$queryRaw<
    {
      id: string;
      trigger: PurgeTrigger;
      outcome: PreviewOutcome;
      createdAt: Date;
      createdById: number | null;
      createdByTokenId: number | null;
      orgCount: number;
      items: bigint | null;
      bytes: bigint | null;
      categories: number | null;
    }[]
  >(sql`
    SELECT p.id, p.trigger, p.created_at AS "createdAt", p.created_by_id AS "createdById",
           p.created_by_token_id AS "createdByTokenId",
           CASE WHEN p.status = 'DISCARDED' THEN 'discarded'
                WHEN p.status = 'PREVIEWED' AND p.expires_at > ${now} THEN 'open'
                ELSE 'expired' END AS outcome,
           jsonb_array_length(p.scope->'orgIds')::int AS "orgCount",
           CASE WHEN p.manifest_removed_at IS NULL THEN e.items
                WHEN jsonb_array_length(p.scope->'orgIds') = 1 THEN p.item_count END AS items,
           CASE WHEN p.manifest_removed_at IS NULL THEN e.bytes
                WHEN jsonb_array_length(p.scope->'orgIds') = 1 THEN p.bytes END AS bytes,
           CASE WHEN p.manifest_removed_at IS NULL THEN e.categories END AS categories
    FROM purge_plans p
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(item_count), 0)::bigint AS items, coalesce(sum(bytes), 0)::bigint AS bytes,
             (count(*) FILTER (WHERE item_count > 0))::int AS categories
      FROM plan_entries WHERE plan_id = p.id AND org_id = ${w.orgId}) e
    WHERE p.status <> 'CONFIRMED' AND p.scope->'orgIds' @> to_jsonb(${w.orgId}::int)
      ${inWindow(sql`p.created_at`, sql`p.id`, "text", RANKS.preview, w)}
    ${newestFirst(sql`p.created_at`, sql`p.id`, "text")}
    LIMIT ${w.limit}`);
  return plans.map(({ createdAt, createdById, createdByTokenId, ...plan }) => ({
    place: { at: createdAt, rank: RANKS.preview, id: plan.id },
    who: purgeActor({ trigger: plan.trigger, userId: createdById, tokenId: createdByTokenId }),
    entry: { kind: "preview" as const, ...plan },
  }));
}
