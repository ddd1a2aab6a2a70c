import type { RetentionCategory } from "../../generated/prisma/enums";

/**
 * A fleet-wide plan can take most of thousands of orgs' data: the operator
 * is shown the largest shares and how many more there are, not a list of
 * thousands (nor a refusal message that long).
 */
const SHARES_LISTED = 5;

export type GuardrailReason =
  | { kind: "whole-fleet" }
  | { kind: "share"; orgId: number; orgName: string; category: RetentionCategory; share: number };

export type Guardrails = {
  /** The whole fleet, and the largest shares: at most SHARES_LISTED of them. */
  reasons: GuardrailReason[];
  /** Further org × category entries above the share, beyond those listed. */
  moreShares?: number;
  /** What the operator types to confirm: the org's name for a one-org purge, else DELETE. */
  confirmPhrase: string | null;
};

export type Share = Extract<GuardrailReason, { kind: "share" }>;

/** The largest shares of a plan's entries so far, and how many more pass the guardrail. */
export type Shares = { listed: Share[]; more: number };

/** Adds entries' shares to those found so far, keeping the largest SHARES_LISTED. */
export function addShares(sofar: Shares, found: Shares): Shares {
  const largest = [...sofar.listed, ...found.listed].sort((a, b) => b.share - a.share);
  return {
    listed: largest.slice(0, SHARES_LISTED),
    more: sofar.more + found.more + Math.max(0, largest.length - SHARES_LISTED),
  };
}

/** The guardrails of a plan whose entries have these shares. */
export function guardrailsOf(wholeFleet: boolean, shares: Shares, singleOrgName: string | null) {
  const reasons: GuardrailReason[] = [
    ...(wholeFleet ? [{ kind: "whole-fleet" } as const] : []),
    ...shares.listed,
  ];
  const guardrails: Guardrails = {
    reasons,
    ...(shares.more > 0 ? { moreShares: shares.more } : {}),
    confirmPhrase: reasons.length === 0 ? null : (singleOrgName ?? "DELETE"),
  };
  return guardrails;
}
