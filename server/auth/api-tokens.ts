import { createHash, randomBytes } from "node:crypto";
import type { AccountChange } from "../accounts/users";
import { parseOrRefuse } from "../accounts/users";
import { createTokenInput } from "../accounts/inputs";
import type { Db } from "../db";
import { AppError } from "../errors";
import type { ApiTokenScope } from "../generated/prisma/enums";
import { appendAudit } from "../retention/evidence/audit-log";
import { hasRole, type SessionUser } from "./roles";

const PREFIX = "lethe_";
const DAY_MS = 86_400_000;

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/** The least role that may hold a token of each scope. */
const SCOPE_ROLE = { READ: "VIEWER", PURGE: "ADMIN" } as const;

/**
 * Creates a token for a user, with a scope their role allows and an expiry
 * (default 90 days, at most 365). The token itself is returned once; only
 * its SHA-256 is kept.
 */
export async function createApiToken(
  db: Db,
  input: AccountChange & { userId: number; token: unknown; now?: Date },
) {
  const { name, scope, expiresInDays } = parseOrRefuse(createTokenInput, input.token);
  const owner = await db.user.findUnique({ where: { id: input.userId } });
  if (!owner || owner.disabledAt)
    throw new AppError("NOT_FOUND", `No active user ${input.userId} to own the token.`);
  if (!hasRole(owner.role, SCOPE_ROLE[scope]))
    throw new AppError(
      "FORBIDDEN",
      `A ${scope} token needs the ${SCOPE_ROLE[scope]} role; user ${owner.id} is ${owner.role}. Create a READ token instead.`,
    );
  const token = PREFIX + randomBytes(24).toString("base64url");
  const expiresAt = new Date((input.now ?? new Date()).getTime() + expiresInDays * DAY_MS);
  const created = await db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: { userId: owner.id, name, scope, expiresAt, tokenHash: digest(token) },
    });
    await appendAudit(tx, {
      actor: input.actor,
      action: "token.created",
      target: `token:${row.id}`,
      details: { userId: owner.id, scope, expiresInDays, via: input.via },
    });
    return row;
  });
  return { id: created.id, token, name, scope, expiresAt };
}

/** A token's caller: its owner, acting through the token (`tokenId`, for the record). */
export type TokenCaller = { user: SessionUser & { tokenId: number }; scope: ApiTokenScope };

/**
 * The user a bearer token belongs to, and what the token may do; null when
 * the token is unknown, revoked or expired, or its user is disabled: all
 * refused alike.
 */
export async function userForToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<TokenCaller | null> {
  if (!token.startsWith(PREFIX)) return null;
  const found = await db.apiToken.findUnique({
    where: { tokenHash: digest(token) },
    include: { user: true },
  });
  if (!found || found.revokedAt || found.expiresAt <= now || found.user.disabledAt) return null;
  await db.apiToken.update({ where: { id: found.id }, data: { lastUsedAt: now } });
  const { user } = found;
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role, tokenId: found.id },
    scope: found.scope,
  };
}

/** Tokens, newest first: one user's, or everyone's (with their owners) when `userId` is null. */
export async function listApiTokens(db: Db, input: { userId: number | null }) {
  const tokens = await db.apiToken.findMany({
    where: input.userId === null ? {} : { userId: input.userId },
    include: { user: { select: { name: true, email: true, disabledAt: true } } },
    orderBy: { id: "desc" },
    take: 1000,
  });
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    scope: t.scope,
    userId: t.userId,
    owner: t.user.name,
    ownerEmail: t.user.email,
    ownerDisabled: t.user.disabledAt !== null,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    revokedAt: t.revokedAt,
  }));
}

/**
 * Revokes a token at once. Someone else's token is revoked only by an
 * admin (`anyOwner`); to anyone else it does not exist.
 */
export async function revokeApiToken(
  db: Db,
  input: AccountChange & { tokenId: number; anyOwner: boolean },
) {
  const token = await db.apiToken.findUnique({ where: { id: input.tokenId } });
  const own = input.actor !== "system" && token?.userId === input.actor.id;
  if (!token || !(own || input.anyOwner))
    throw new AppError("NOT_FOUND", `No API token ${input.tokenId}.`);
  const alreadyRevoked = new AppError("CONFLICT", `API token ${token.id} was already revoked.`);
  if (token.revokedAt) throw alreadyRevoked;
  return db.$transaction(async (tx) => {
    const revokedAt = new Date();
    // Only the first of two revokes at once changes the row and is audited.
    const { count } = await tx.apiToken.updateMany({
      where: { id: token.id, revokedAt: null },
      data: { revokedAt },
    });
    if (count === 0) throw alreadyRevoked;
    await appendAudit(tx, {
      actor: input.actor,
      action: "token.revoked",
      target: `token:${token.id}`,
      details: { userId: token.userId, scope: token.scope, via: input.via },
    });
    return { id: token.id, revokedAt };
  });
}
