import type { RetentionCategory } from "../../generated/prisma/enums";
import { sql, type Sql } from "../sql";

/** What a restore brings back: a whole run, one org × category of it, or one item. */
export type RestoreScope = {
  runId: string;
  orgId?: number;
  category?: RetentionCategory;
  itemId?: number;
};

/** The kept rows (aliased `k`) of the scope, whatever became of them. */
export const inScope = (scope: RestoreScope): Sql => sql`k.run_id = ${scope.runId}
  ${scope.orgId !== undefined ? sql`AND k.org_id = ${scope.orgId}` : sql``}
  ${scope.category ? sql`AND k.category = ${scope.category}::"RetentionCategory"` : sql``}
  ${scope.itemId !== undefined ? sql`AND k.item_id = ${scope.itemId}` : sql``}`;

/**
 * A kept artifact (`k`) that a GDPR erasure approved after it was kept
 * covers (its org's, or its member's): an erasure is final, so it is no
 * longer restorable and the next final deletion takes it, window or not.
 */
export const ERASED = sql`(k.category = 'ARTIFACTS' AND EXISTS (
  SELECT 1 FROM erasure_requests e
  WHERE e.org_id = k.org_id AND e.status IN ('APPROVED', 'EXECUTED', 'INCOMPLETE')
    AND e.decided_at >= k.kept_at
    AND (e.scope = 'ORGANIZATION' OR e.scope_member_id = (k.row ->> 'member_id')::int)))`;

const MARKS_GATE = sql`hashtext('lethe:final-deletion-marks')`;
/** Held by a final deletion while it writes a mark: no restore batch runs meanwhile. */
export const MARKING = sql`pg_advisory_xact_lock(${MARKS_GATE})`;
/**
 * Held by a restore batch: it waits for a mark being written (then sees
 * it), and a mark waits for it (then sees what it restored).
 */
export const RESTORING = sql`pg_advisory_xact_lock_shared(${MARKS_GATE})`;

/**
 * A kept row (`k`) still restorable at `now`: not restored, not in a final
 * deletion's mark (a finally deleted one has no kept row left), its window
 * not passed, not erased.
 */
export const restorableAt = (now: Date): Sql => sql`k.restored_at IS NULL
  AND k.id NOT IN (SELECT unnest(m.kept_ids) FROM final_deletion_marks m)
  AND k.restorable_until > ${now}::timestamptz AND NOT ${ERASED}`;

/**
 * The window batches (aliased `w`) of what a final deletion took of the
 * scope: the evidence left of kept rows it deleted.
 */
export const finallyDeletedInScope = (scope: RestoreScope): Sql => sql`w.final_run_id IS NOT NULL
  AND w.kept_by_run_id = ${scope.runId}
  ${scope.orgId !== undefined ? sql`AND w.org_id = ${scope.orgId}` : sql``}
  ${scope.category ? sql`AND w.category = ${scope.category}::"RetentionCategory"` : sql``}
  ${scope.itemId !== undefined ? sql`AND ${String(scope.itemId)} = ANY(w.item_ids)` : sql``}`;

/** The scope in words, for messages: "run 3f2…", "org 12 × ARTIFACTS of run 3f2…". */
export function describeScope(scope: RestoreScope): string {
  const parts = [
    scope.itemId !== undefined ? `item ${scope.itemId}` : null,
    scope.orgId !== undefined ? `org ${scope.orgId}` : null,
    scope.category ?? null,
  ].filter((p): p is string => p !== null);
  return parts.length ? `${parts.join(" × ")} of run ${scope.runId}` : `run ${scope.runId}`;
}
