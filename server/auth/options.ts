import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { db, type Db } from "../db";
import { env } from "../env";
import { UNKNOWN_USER_HASH, verifyPassword } from "./password";

const credentials = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1),
});

/** Checks an email and password against the user table; null on any mismatch. */
export async function authorizeCredentials(database: Db, input: unknown) {
  const parsed = credentials.safeParse(input);
  if (!parsed.success) return null;
  const user = await database.user.findUnique({ where: { email: parsed.data.email } });
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? UNKNOWN_USER_HASH);
  if (!user || !ok || user.disabledAt) return null;
  return { id: String(user.id), email: user.email, name: user.name };
}

function externalProviders() {
  const e = env();
  const providers: AuthOptions["providers"] = [];
  if (e.GITHUB_ID && e.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  }
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) {
    const oidc: OAuthConfig<{ sub: string; email: string; name?: string }> = {
      id: "oidc",
      name: "Single sign-on",
      type: "oauth",
      wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: (p) => ({ id: p.sub, email: p.email, name: p.name ?? p.email }),
    };
    providers.push(oidc);
  }
  return providers;
}

export function authOptions(): AuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        authorize: (input) => authorizeCredentials(db(), input),
      }),
      ...externalProviders(),
    ],
    callbacks: {
      // External sign-in only for people who already have a console account:
      // roles are granted in Lethe, never by the identity provider.
      async signIn({ user, account }) {
        if (account?.provider === "credentials") return true;
        if (!user.email) return false;
        const known = await db().user.findUnique({ where: { email: user.email.toLowerCase() } });
        return Boolean(known && !known.disabledAt);
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          const known = await db().user.findUnique({
            where: { email: (user.email ?? "").toLowerCase() },
          });
          if (known) token.userId = known.id;
        }
        return token;
      },
      async session({ session, token }) {
        if (typeof token.userId === "number") session.userId = token.userId;
        return session;
      },
    },
  };
}
