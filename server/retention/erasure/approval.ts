import { AppError } from "../../errors";
import type { ErasureScope } from "../../generated/prisma/enums";
import { appendAudit, type Actor } from "../evidence/audit-log";
import { scopeDetails } from "./scope";
import { sql, type Tx } from "../sql";

/**
 * Records a second admin's approval of an erasure, inside the transaction
 * that starts its run: the request is approved exactly when its run exists,
 * so a preview that expired (or a refused confirmation) leaves it pending
 * (or incomplete), to be previewed again, never approved with nothing
 * erasing. An incomplete request approved again points at its new run.
 */
export async function recordErasureApproval(
  tx: Tx,
  decision: { erasureId: number; runId: string; planId: string; items: bigint; actor: Actor },
) {
  const decidedBy = decision.actor === "system" ? null : decision.actor.id;
  // A member request is approved only while its member exists (see refuseIfMemberGone).
  const [request] = await tx.$queryRaw<
    { org_id: number; scope: ErasureScope; scope_member_id: number | null }[]
  >(sql`
    UPDATE erasure_requests
    SET status = 'APPROVED', decided_by_id = ${decidedBy}, decided_at = now(), run_id = ${decision.runId},
        incomplete_reason = NULL
    WHERE id = ${decision.erasureId} AND status IN ('PENDING', 'INCOMPLETE')
      AND requested_by_id IS DISTINCT FROM ${decidedBy}
      AND (scope = 'ORGANIZATION' OR member_id IS NOT NULL)
    RETURNING org_id, scope, scope_member_id`);
  if (!request)
    throw new AppError(
      "CONFLICT",
      `Erasure request #${decision.erasureId} can no longer be approved by you: it was decided meanwhile, you requested it, or its member no longer exists. Nothing was deleted.`,
    );
  await appendAudit(tx, {
    actor: decision.actor,
    action: "erasure.approved",
    orgId: request.org_id,
    target: `erasure:${decision.erasureId}`,
    details: {
      ...scopeDetails({ scope: request.scope, scopeMemberId: request.scope_member_id }),
      plan: decision.planId,
      items: decision.items,
    },
  });
}
