import { getServerSession } from "next-auth";
import { db } from "../db";
import { authOptions } from "./options";
import { sessionEnded, sessionExpired } from "./session-revocation";
import type { SessionUser } from "./roles";

/**
 * The signed-in user, read fresh from the database on every request: a
 * changed role or a disabled account takes effect at once, not when the
 * session cookie expires, and a password reset by an admin forces a new
 * password at once. A session signed out, past its lifetime from sign-in,
 * or from before the account's last password change, reset or disable,
 * counts for nothing (session-revocation.ts).
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  if (!session?.userId || sessionExpired(session.signedInAt)) return null;
  const [user, ended] = await Promise.all([
    db().user.findUnique({ where: { id: session.userId } }),
    sessionEnded(db(), session.sessionId),
  ]);
  if (!user || user.disabledAt || ended || user.sessionEpoch !== (session.sessionEpoch ?? 0))
    return null;
  const { id, email, name, role, mustChangePassword } = user;
  return { id, email, name, role, mustChangePassword };
}
