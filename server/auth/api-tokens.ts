import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db";
import type { SessionUser } from "./roles";

const PREFIX = "lethe_";

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates a token for a user; the token itself is shown once and only its SHA-256 is kept. */
export async function createApiToken(db: Db, userId: number, name: string) {
  const token = PREFIX + randomBytes(24).toString("base64url");
  await db.apiToken.create({ data: { userId, name, tokenHash: digest(token) } });
  return token;
}

/** The user a bearer token belongs to, if the token is live and the user active. */
export async function userForToken(db: Db, token: string): Promise<SessionUser | null> {
  if (!token.startsWith(PREFIX)) return null;
  const found = await db.apiToken.findUnique({
    where: { tokenHash: digest(token) },
    include: { user: true },
  });
  if (!found || found.revokedAt || found.user.disabledAt) return null;
  await db.apiToken.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } });
  const { user } = found;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
