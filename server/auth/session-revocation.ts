import { randomUUID } from "node:crypto";
import type { Db } from "../db";

/**
 * What a change of an account's password and a disable write on the user:
 * every session signed in before it stops counting (sessions are stateless
 * JWTs, so a copied or stolen one would otherwise last its 12 hours).
 */
export const END_SESSIONS = { sessionEpoch: { increment: 1 } } as const;

/**
 * How long a session lasts from its sign-in, however often it is used: its
 * cookie is re-issued as it is used, so without this a copy kept alive
 * would outlast the record of its sign-out.
 */
export const SESSION_SECONDS = 12 * 60 * 60;

/** What a session signed in now carries: its own id, when it signed in, and the account's epoch. */
export async function newSessionClaims(db: Db, userId: number) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { sessionEpoch: true } });
  return { sessionId: randomUUID(), signedInAt: Date.now(), sessionEpoch: user?.sessionEpoch ?? 0 };
}

/** Whether a session signed in at `signedInAt` (ms) is past its lifetime; one without it predates the claim. */
export const sessionExpired = (signedInAt: number | undefined, now = Date.now()) =>
  signedInAt === undefined || now - signedInAt > SESSION_SECONDS * 1000;

/**
 * Ends one session where it was signed out: its cookie, and any copy of it,
 * counts for nothing until its lifetime from sign-in is over anyway. The
 * sessions ended before and now past it are let go.
 */
export async function endSession(
  db: Db,
  session: { sessionId: string; userId: number; signedInAt: number },
) {
  const { sessionId, userId } = session;
  await db.$transaction([
    db.endedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } }),
    db.endedSession.upsert({
      where: { sessionId },
      create: {
        sessionId,
        userId,
        expiresAt: new Date(session.signedInAt + SESSION_SECONDS * 1000),
      },
      update: {},
    }),
  ]);
}

/** Whether a session was signed out. */
export async function sessionEnded(db: Db, sessionId: string | undefined) {
  if (!sessionId) return false;
  return (await db.endedSession.count({ where: { sessionId } })) > 0;
}
