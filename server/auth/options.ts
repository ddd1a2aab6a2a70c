import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "../db";
import { env } from "../env";
import { safeCallbackPath } from "./callback-url";
import { clientAddress, trustedProxyHops } from "./client-address";
import { authorizeCredentials } from "./credentials";
import { externalClaim, externalProviders } from "./external-providers";
import { resolveExternalSignIn } from "./identities";
import { sessionSecret } from "./server-settings";
import { endSession, newSessionClaims, SESSION_SECONDS } from "./session-revocation";
import { UNVERIFIED_ADDRESS } from "./sign-in-errors";
import { signInThrottle } from "./sign-in-throttle";

export function authOptions(): AuthOptions {
  const e = env();
  return {
    secret: sessionSecret(e),
    session: { strategy: "jwt", maxAge: SESSION_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        authorize: (input, request) =>
          authorizeCredentials(
            { db: db(), throttle: signInThrottle(), production: e.NODE_ENV === "production" },
            input,
            clientAddress(request.headers, trustedProxyHops(e)),
          ),
      }),
      ...externalProviders(e),
    ],
    callbacks: {
      // External sign-in only for people who already have a console account:
      // roles are granted in Lethe, never by the identity provider.
      async signIn({ account, profile }) {
        if (!account || account.provider === "credentials") return true;
        const decision = await resolveExternalSignIn(db(), externalClaim(account, profile));
        if ("userId" in decision) return true;
        // next-auth sends a thrown message to the login form as its error code.
        if (decision.refused === "unverified-address") throw new Error(UNVERIFIED_ADDRESS);
        return false;
      },
      // The session's user is the one the credentials or the bound identity
      // name, never whoever has the address the provider reports.
      async jwt({ token, user, account, profile }) {
        if (!user || !account) return token;
        if (account.provider === "credentials") {
          token.userId = Number(user.id);
        } else {
          const decision = await resolveExternalSignIn(db(), externalClaim(account, profile));
          if ("userId" in decision) token.userId = decision.userId;
        }
        if (typeof token.userId === "number")
          Object.assign(token, await newSessionClaims(db(), token.userId));
        return token;
      },
      async session({ session, token }) {
        if (typeof token.userId === "number") session.userId = token.userId;
        session.sessionEpoch = token.sessionEpoch ?? 0;
        session.sessionId = token.sessionId;
        session.signedInAt = token.signedInAt;
        return session;
      },
      redirect: ({ url, baseUrl }) => new URL(safeCallbackPath(url, baseUrl), baseUrl).href,
    },
    events: {
      // Signing out deletes the cookie in this browser; a copy of it is
      // ended here, as a stateless JWT cannot be revoked alone.
      async signOut({ token }) {
        if (typeof token?.userId === "number" && token.sessionId && token.signedInAt)
          await endSession(db(), {
            sessionId: token.sessionId,
            userId: token.userId,
            signedInAt: token.signedInAt,
          });
      },
    },
  };
}
