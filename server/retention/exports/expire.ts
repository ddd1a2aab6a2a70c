import type { Engine } from "../deps";
import { appendAudit } from "../evidence/audit-log";
import { sql } from "../sql";

/** Exports expired per transaction. */
const BATCH = 100;

export type ExportExpiry = { expired: number; failed: number; done: boolean };

/**
 * Deletes the exports past their expiry, a batch at a time until none is
 * left or `deadline`: each one's object first, then its row marked EXPIRED
 * (audited). Rows another delivery is expiring are skipped; an object the
 * store fails to delete keeps its row for the next delivery.
 */
export async function expireExports(engine: Engine, deadline: number): Promise<ExportExpiry> {
  const report: ExportExpiry = { expired: 0, failed: 0, done: false };
  const failed: number[] = [];
  while (Date.now() < deadline) {
    const settled = await engine.db.$transaction(
      async (tx) => {
        const due = await tx.$queryRaw<
          { id: number; org_id: number; object_key: string | null }[]
        >(sql`
        SELECT id, org_id, object_key FROM exports
        WHERE status <> 'EXPIRED' AND expires_at <= ${engine.now()}
          AND NOT (id = ANY(${failed}::int[]))
        ORDER BY expires_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`);
        if (due.length === 0) return 0;
        const keys = due.flatMap((d) => (d.object_key ? [d.object_key] : []));
        const outcome = await engine.store.deleteMany(keys);
        const gone = new Set(outcome.deleted);
        for (const d of due) {
          if (d.object_key && !gone.has(d.object_key)) {
            failed.push(d.id);
            report.failed++;
            continue;
          }
          await tx.export.update({
            where: { id: d.id },
            data: { status: "EXPIRED", expiredAt: engine.now() },
          });
          await appendAudit(tx, {
            actor: "system",
            action: "export.expired",
            orgId: d.org_id,
            target: `export:${d.id}`,
            details: { objectDeleted: d.object_key !== null },
          });
          report.expired++;
        }
        return due.length;
      },
      { timeout: 60_000 },
    );
    if (settled === 0) return { ...report, done: true };
  }
  return report;
}
