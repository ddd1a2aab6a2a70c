import { encode } from "next-auth/jwt";

/**
 * The session cookie next-auth sets when `userId` signs in, signed with
 * this process's NEXTAUTH_SECRET (over http, so without the __Secure- prefix).
 */
export async function sessionCookie(userId: number) {
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) throw new Error("set the route environment first (useRouteEnvironment)");
  const token = await encode({ token: { userId, sub: String(userId) }, secret });
  return `next-auth.session-token=${token}`;
}
