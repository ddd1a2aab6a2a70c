import { AppError } from "../errors";
import { appendAudit, type Actor } from "./audit";
import { sql, type Tx } from "./sql";

/**
 * Records a second admin's approval of an erasure, inside the transaction
 * that starts its run: the request is approved exactly when its run exists,
 * so a preview that expired (or a refused confirmation) leaves it pending,
 * to be previewed again, never approved with nothing erasing.
 */
export async function recordErasureApproval(
  tx: Tx,
  decision: { erasureId: number; runId: string; planId: string; items: bigint; actor: Actor },
) {
  const decidedBy = decision.actor === "system" ? null : decision.actor.id;
  const [request] = await tx.$queryRaw<{ org_id: number }[]>(sql`
    UPDATE erasure_requests
    SET status = 'APPROVED', decided_by_id = ${decidedBy}, decided_at = now(), run_id = ${decision.runId}
    WHERE id = ${decision.erasureId} AND status = 'PENDING' AND requested_by_id IS DISTINCT FROM ${decidedBy}
    RETURNING org_id`);
  if (!request)
    throw new AppError(
      "CONFLICT",
      `Erasure request #${decision.erasureId} can no longer be approved by you: it was decided meanwhile, or you requested it.`,
    );
  await appendAudit(tx, {
    actor: decision.actor,
    action: "erasure.approved",
    orgId: request.org_id,
    target: `erasure:${decision.erasureId}`,
    details: { plan: decision.planId, items: decision.items },
  });
}
