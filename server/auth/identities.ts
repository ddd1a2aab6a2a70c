import { Prisma, type Db } from "../db";
import { appendAudit } from "../retention/evidence/audit-log";

/** What an external provider says about the person signing in. */
export type ExternalClaim = {
  provider: string;
  /** The provider's stable id of the account (GitHub user id, OIDC `sub`). */
  accountId: string;
  email: string | null;
  /** The provider asserts the address is verified (exactly `true`, nothing truthy). */
  emailVerified: boolean;
};

export type ExternalSignIn =
  { userId: number } | { refused: "unverified-address" } | { refused: "no-access" };

const NO_ACCESS = { refused: "no-access" } as const;

/**
 * Who an external sign-in is, in Lethe. An identity already bound is its
 * user, whatever address the provider reports now. Otherwise the first
 * sign-in binds it, only when the provider asserts the address is verified
 * and an enabled user with that address has no identity of this provider
 * yet. Roles are granted in Lethe, never by the provider.
 */
export async function resolveExternalSignIn(db: Db, claim: ExternalClaim): Promise<ExternalSignIn> {
  const bound = await boundUser(db, claim);
  if (bound) return bound.disabledAt ? NO_ACCESS : { userId: bound.id };
  const email = claim.email?.trim().toLowerCase();
  if (!claim.emailVerified || !email) return { refused: "unverified-address" };
  const user = await db.user.findUnique({ where: { email } });
  if (!user || user.disabledAt) return NO_ACCESS;
  try {
    await db.$transaction(async (tx) => {
      await tx.userIdentity.create({
        data: { userId: user.id, provider: claim.provider, providerAccountId: claim.accountId },
      });
      await appendAudit(tx, {
        actor: { id: user.id },
        action: "auth.identity_bound",
        target: `user:${user.id}`,
        details: { provider: claim.provider },
      });
    });
    return { userId: user.id };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002"))
      throw error;
    // The user already has another identity of this provider, or this very
    // sign-in was bound a moment ago by a concurrent request.
    const raced = await boundUser(db, claim);
    return raced && !raced.disabledAt ? { userId: raced.id } : NO_ACCESS;
  }
}

async function boundUser(db: Db, claim: ExternalClaim) {
  const identity = await db.userIdentity.findUnique({
    where: {
      provider_providerAccountId: { provider: claim.provider, providerAccountId: claim.accountId },
    },
    include: { user: true },
  });
  return identity?.user ?? null;
}
