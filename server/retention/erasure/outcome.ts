import type { ErasureScope, RunStatus } from "../../generated/prisma/enums";
import { appendAudit } from "../evidence/audit-log";
import { ACTIVE_HOLD } from "../categories/category";
import { scopeDetails } from "./scope";
import { sql, type Tx } from "../sql";

/** What the run that ends did, from its tasks' counters. */
export type RunTotals = { status: RunStatus; deleted: bigint; skipped: bigint; failed: bigint };

type Request = {
  id: number;
  org_id: number;
  scope: ErasureScope;
  scope_member_id: number | null;
  member_gone: boolean;
  plan_id: string;
  items_total: bigint;
};

type SetAsideGroup = { state: "SKIPPED" | "FAILED"; reason: string; n: bigint };

const artifacts = (n: bigint | number) => `${n} artifact${BigInt(n) === 1n ? "" : "s"}`;

/** The most frequent reason of each kind, and whether there were others. */
function firstReason(groups: SetAsideGroup[], kind: SetAsideGroup["state"]) {
  const of = groups.filter((g) => g.state === kind);
  const first = of[0]?.reason ?? "no reason recorded";
  return of.length > 1 ? `${first}, and other reasons` : first;
}

/**
 * The artifacts an erasure covers, whatever their age: all of the org's, or
 * its member's; `held` when a legal hold of their own keeps them.
 */
export const artifactsInScope = (orgId: number, memberId: number | null) => sql`
  SELECT a.id, a.org_id,
         EXISTS (SELECT 1 FROM legal_holds h WHERE h.artifact_id = a.id AND ${ACTIVE_HOLD}) AS held
  FROM artifacts a
  WHERE a.org_id = ${orgId} AND (${memberId}::int IS NULL OR a.member_id = ${memberId})`;

/**
 * What is left of the request's scope that its preview did not hold:
 * artifacts kept by a legal hold of their own (a preview leaves them out),
 * and artifacts made after the preview.
 */
async function leftOutside(tx: Tx, r: Request) {
  const [row] = await tx.$queryRaw<{ held: bigint; made_since: bigint }[]>(sql`
    SELECT count(*) FILTER (WHERE x.held) AS held, count(*) FILTER (WHERE NOT x.held) AS made_since
    FROM (${artifactsInScope(r.org_id, r.scope_member_id)}) x
    WHERE NOT EXISTS (SELECT 1 FROM plan_items p
                      WHERE p.plan_id = ${r.plan_id} AND p.org_id = x.org_id
                        AND p.category = 'ARTIFACTS' AND p.item_id = x.id)`);
  return { held: row?.held ?? 0n, madeSince: row?.made_since ?? 0n };
}

/**
 * Ends the erasure that a run carried out, in the transaction that ends the
 * run. Only a run that SUCCEEDED, erased every item of its preview and
 * left nothing of the scope behind executes the request; anything else
 * makes it INCOMPLETE with why, to be previewed and approved again.
 */
export async function endErasure(tx: Tx, runId: string, totals: RunTotals) {
  const [request] = await tx.$queryRaw<Request[]>(sql`
    SELECT e.id, e.org_id, e.scope, e.scope_member_id,
           (e.scope = 'MEMBER' AND e.member_id IS NULL) AS member_gone, r.plan_id, r.items_total
    FROM erasure_requests e JOIN purge_runs r ON r.id = e.run_id
    WHERE e.run_id = ${runId} AND e.status = 'APPROVED'
    FOR UPDATE OF e`);
  if (!request) return;
  const groups = await tx.$queryRaw<SetAsideGroup[]>(sql`
    SELECT state, reason, count(*) AS n FROM plan_item_set_asides
    WHERE plan_id = ${request.plan_id}
    GROUP BY state, reason ORDER BY n DESC, reason`);
  const left = await leftOutside(tx, request);
  const notReached =
    request.items_total - totals.deleted - totals.skipped - totals.failed > 0n
      ? request.items_total - totals.deleted - totals.skipped - totals.failed
      : 0n;

  const problems: string[] = [];
  if (request.member_gone) problems.push("the member was deleted while the erasure ran");
  if (totals.failed > 0n)
    problems.push(`${artifacts(totals.failed)} failed (${firstReason(groups, "FAILED")})`);
  if (totals.skipped > 0n)
    problems.push(`${artifacts(totals.skipped)} skipped (${firstReason(groups, "SKIPPED")})`);
  if (notReached > 0n) problems.push(`${artifacts(notReached)} not reached`);
  if (left.held > 0n) problems.push(`${artifacts(left.held)} kept by a legal hold on them`);
  if (left.madeSince > 0n) problems.push(`${artifacts(left.madeSince)} made after the preview`);

  const executed = totals.status === "SUCCEEDED" && problems.length === 0;
  let reason: string | null = null;
  if (!executed) {
    reason = problems.join("; ");
    if (totals.status !== "SUCCEEDED")
      reason = `run ${totals.status}${reason ? `: ${reason}` : ""}`;
    if (totals.deleted === 0n) reason = `nothing was erased: ${reason}`;
  }
  await tx.$executeRaw(sql`
    UPDATE erasure_requests
    SET status = ${executed ? "EXECUTED" : "INCOMPLETE"}::"ErasureStatus", incomplete_reason = ${reason}
    WHERE id = ${request.id}`);
  await appendAudit(tx, {
    actor: "system",
    action: executed ? "erasure.executed" : "erasure.incomplete",
    orgId: request.org_id,
    target: `erasure:${request.id}`,
    details: {
      ...scopeDetails({ scope: request.scope, scopeMemberId: request.scope_member_id }),
      run: runId,
      runStatus: totals.status,
      erased: totals.deleted,
      skipped: totals.skipped,
      failed: totals.failed,
      notReached,
      keptByHold: left.held,
      madeSince: left.madeSince,
    },
  });
}
