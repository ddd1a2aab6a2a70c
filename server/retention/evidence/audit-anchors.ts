import type { Db } from "../../db";
import { sql, type Tx } from "../sql";
import { isoDay } from "../../calendar-day";

/** Where the audit chain stood at a moment: its entry count and last hash, and who says so. */
export type AuditAnchor = { entries: bigint; headHash: string; label: string };

/**
 * Records the chain's head as the anchor of a run that ended, daily or an
 * operator's: each run's manifest then carries where the log stood when it
 * ended. Called in the transaction that appended the run's last entry, which
 * still holds the audit lock: no other entry can slip in between the count
 * and the head.
 */
export async function anchorAuditChain(tx: Tx, runId: string) {
  await tx.$executeRaw(sql`
    INSERT INTO audit_anchors (run_id, entries, head_hash)
    SELECT ${runId}, count(*), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)
    FROM audit_log
    -- A run the review of a paused task re-opened keeps the anchor of its first end.
    ON CONFLICT (run_id) DO NOTHING`);
}

/** Every anchor the runs wrote, oldest first. */
export async function auditAnchors(db: Db): Promise<AuditAnchor[]> {
  const rows = await db.auditAnchor.findMany({
    orderBy: { id: "asc" },
    include: { run: { select: { trigger: true } } },
  });
  return rows.map((a) => ({
    entries: a.entries,
    headHash: a.headHash,
    label: `the ${a.run.trigger === "CRON" ? "daily run" : "run"} that ended ${isoDay(a.at)} (run ${a.runId})`,
  }));
}

/** The newest anchor, as /api/metrics and a run's manifest publish it. */
export async function latestAuditAnchor(db: Db) {
  return db.auditAnchor.findFirst({ orderBy: { id: "desc" } });
}
