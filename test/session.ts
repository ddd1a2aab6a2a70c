import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";

/**
 * The session cookie next-auth sets when `userId` signs in (at
 * `signedInAt`, now by default), signed with this process's NEXTAUTH_SECRET
 * (over http, so without the __Secure- prefix).
 */
export async function sessionCookie(userId: number, signedInAt = Date.now()) {
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) throw new Error("set the route environment first (useRouteEnvironment)");
  const token = await encode({
    token: { userId, sub: String(userId), sessionId: randomUUID(), signedInAt, sessionEpoch: 0 },
    secret,
  });
  return `next-auth.session-token=${token}`;
}
