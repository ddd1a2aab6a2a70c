import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    userId?: number;
    /** The account's session epoch at sign-in (server/auth/session-revocation.ts). */
    sessionEpoch?: number;
    /** This session's own id, set at sign-in: what a sign-out ends. */
    sessionId?: string;
    /** When it signed in (ms): its lifetime counts from here, whatever re-issues its cookie. */
    signedInAt?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    userId?: number;
    sessionEpoch?: number;
    sessionId?: string;
    signedInAt?: number;
  }
}
