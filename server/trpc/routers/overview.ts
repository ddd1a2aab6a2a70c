import { retentionHealth } from "../../retention/evidence/health";
import { storageOverview } from "../../console/overview";
import { nextScheduledRun } from "../../retention/run/daily";
import { sql } from "../../retention/sql";
import { router, viewerProcedure } from "../init";

export const overviewRouter = router({
  storage: viewerProcedure.query(({ ctx }) => storageOverview(ctx.db)),

  /** The daily purge's health: last run, last success, next run, bytes freed lately, staleness. */
  status: viewerProcedure.query(async ({ ctx }) => {
    const now = new Date();
    const health = await retentionHealth(ctx.db, now);
    const lastRun = await ctx.db.purgeRun.findFirst({ orderBy: { startedAt: "desc" } });
    const [freed] = await ctx.db.$queryRaw<{ bytes: bigint; items: bigint }[]>(sql`
      SELECT coalesce(sum(bytes_freed), 0)::bigint AS bytes, coalesce(sum(deleted), 0)::bigint AS items
      FROM purge_runs WHERE finished_at > now() - interval '30 days'`);
    return {
      stale: health.stale,
      lastSuccess: health.lastSuccess,
      lastRun: lastRun && {
        id: lastRun.id,
        trigger: lastRun.trigger,
        status: lastRun.status,
        startedAt: lastRun.startedAt,
        finishedAt: lastRun.finishedAt,
        deleted: lastRun.deleted,
        bytesFreed: lastRun.bytesFreed,
      },
      nextRun: nextScheduledRun(now),
      freedLast30Days: { bytes: BigInt(freed?.bytes ?? 0n), items: BigInt(freed?.items ?? 0n) },
    };
  }),
});
