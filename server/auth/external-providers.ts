import type { Account, AuthOptions, Profile } from "next-auth";
import GitHubProvider from "next-auth/providers/github";
import type { OAuthConfig, UserinfoEndpointHandler } from "next-auth/providers/oauth";
import type { Env } from "../env";
import type { ExternalClaim } from "./identities";

type GitHubEmail = { email?: unknown; primary?: unknown; verified?: unknown };

/**
 * The address GitHub vouches for: the account's primary address, verified
 * only when GitHub says `verified: true`. Never the public profile address,
 * nor another address of the list.
 */
export function githubPrimaryAddress(emails: unknown): { email: string | null; verified: boolean } {
  const primary = Array.isArray(emails)
    ? (emails as GitHubEmail[]).find((e) => e?.primary === true)
    : undefined;
  if (typeof primary?.email !== "string") return { email: null, verified: false };
  return { email: primary.email, verified: primary.verified === true };
}

/**
 * GitHub's profile with `email` and `email_verified` (the OIDC claim's
 * name) taken from GET /user/emails, which the `user:email` scope allows.
 */
export const githubUserinfo: UserinfoEndpointHandler = {
  url: "https://api.github.com/user",
  async request({ client, tokens }) {
    const profile = await client.userinfo(tokens.access_token ?? "");
    const response = await fetch("https://api.github.com/user/emails", {
      headers: {
        Authorization: `Bearer ${tokens.access_token ?? ""}`,
        Accept: "application/vnd.github+json",
      },
    });
    const primary = githubPrimaryAddress(response.ok ? await response.json() : null);
    return { ...profile, email: primary.email ?? undefined, email_verified: primary.verified };
  },
};

/** GitHub and any OpenID Connect provider, when their variables are set. */
export function externalProviders(e: Env): AuthOptions["providers"] {
  const providers: AuthOptions["providers"] = [];
  if (e.GITHUB_ID && e.GITHUB_SECRET) {
    providers.push(
      GitHubProvider({
        clientId: e.GITHUB_ID,
        clientSecret: e.GITHUB_SECRET,
        userinfo: githubUserinfo,
      }),
    );
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

/**
 * What an external sign-in claims, from next-auth's account (the provider
 * and its account id) and the provider's own profile: the ID token's claims
 * for OIDC, githubUserinfo's for GitHub. Verified means the boolean `true`.
 */
export function externalClaim(account: Account, profile: Profile | undefined): ExternalClaim {
  const claims = (profile ?? {}) as { email?: unknown; email_verified?: unknown };
  return {
    provider: account.provider,
    accountId: account.providerAccountId,
    email: typeof claims.email === "string" ? claims.email : null,
    emailVerified: claims.email_verified === true,
  };
}
