import type { ErasureScope } from "../../generated/prisma/enums";

/**
 * What an erasure request covers, exactly as it was requested, and whether
 * its member still exists. Pure data and functions, so the browser shows
 * the scope with the same words as the server.
 */
export type ErasureScopeView =
  | { kind: "ORGANIZATION" }
  | { kind: "MEMBER"; memberId: number; externalId: string | null; exists: boolean };

/** The columns of a request that say its scope; `memberId` is the live link, null once the member is gone. */
export type ScopeColumns = {
  scope: ErasureScope;
  scopeMemberId: number | null;
  scopeMemberExternalId: string | null;
  memberId: number | null;
};

export function scopeView(r: ScopeColumns): ErasureScopeView {
  if (r.scope === "ORGANIZATION" || r.scopeMemberId === null) return { kind: "ORGANIZATION" };
  return {
    kind: "MEMBER",
    memberId: r.scopeMemberId,
    externalId: r.scopeMemberExternalId,
    exists: r.memberId === r.scopeMemberId,
  };
}

/** "Whole organization", "Member m-123 (#45)", "Member #45 — no longer exists". */
export function describeScope(view: ErasureScopeView): string {
  if (view.kind === "ORGANIZATION") return "Whole organization";
  const named = view.externalId
    ? `Member ${view.externalId} (#${view.memberId})`
    : `Member #${view.memberId}`;
  return view.exists ? named : `${named} — no longer exists`;
}

/** The scope in an audit entry's details: ids only. */
export function scopeDetails(r: Pick<ScopeColumns, "scope" | "scopeMemberId">) {
  return r.scope === "MEMBER" ? { scope: r.scope, memberId: r.scopeMemberId } : { scope: r.scope };
}
