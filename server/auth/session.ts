import { getServerSession } from "next-auth";
import { db } from "../db";
import { authOptions } from "./options";
import type { SessionUser } from "./roles";

/**
 * The signed-in user, read fresh from the database on every request: a
 * changed role or a disabled account takes effect at once, not when the
 * session cookie expires, and a password reset by an admin forces a new
 * password at once.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  if (!session?.userId) return null;
  const user = await db().user.findUnique({ where: { id: session.userId } });
  if (!user || user.disabledAt) return null;
  const { id, email, name, role, mustChangePassword } = user;
  return { id, email, name, role, mustChangePassword };
}
