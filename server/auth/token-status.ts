/**
 * Whether a token is accepted now, as its list shows it: a disabled
 * owner's token is refused like a revoked one until the owner is enabled.
 */
export function tokenStatus(
  token: { revokedAt: Date | null; expiresAt: Date; ownerDisabled: boolean },
  now: Date,
): "revoked" | "expired" | "owner disabled" | "live" {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt <= now) return "expired";
  return token.ownerDisabled ? "owner disabled" : "live";
}
