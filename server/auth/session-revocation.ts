import { randomUUID } from "node:crypto";
import type { Db } from "../db";

/**
 * What a change of an account's password and a disable write on the user:
 * every session signed in before it stops counting (sessions are stateless
 * JWTs, so a copied or stolen one would otherwise last its 12 hours).
 */
export const END_SESSIONS = { sessionEpoch: { increment: 1 } } as const;

/** What a session signed in now carries: its own id, and the account's epoch. */
export async function newSessionClaims(db: Db, userId: number) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { sessionEpoch: true } });
  return { sessionId: randomUUID(), sessionEpoch: user?.sessionEpoch ?? 0 };
}

/**
 * Ends one session where it was signed out: its cookie, and any copy of it,
 * counts for nothing until it would have expired anyway. The sessions ended
 * before and now expired are let go.
 */
export async function endSession(
  db: Db,
  session: { sessionId: string; userId: number },
  maxAgeSeconds: number,
) {
  await db.$transaction([
    db.endedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } }),
    db.endedSession.upsert({
      where: { sessionId: session.sessionId },
      create: { ...session, expiresAt: new Date(Date.now() + maxAgeSeconds * 1000) },
      update: {},
    }),
  ]);
}

/** Whether a session was signed out. */
export async function sessionEnded(db: Db, sessionId: string | undefined) {
  if (!sessionId) return false;
  return (await db.endedSession.count({ where: { sessionId } })) > 0;
}
