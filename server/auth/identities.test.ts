import type { Account, Profile, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { useRouteEnvironment } from "@/test/route-env";
import { githubUserinfo } from "./external-providers";
import { resolveExternalSignIn } from "./identities";
import { authOptions } from "./options";
import { describeSignInError } from "./sign-in-errors";

// External sign-ins driven through next-auth's own callbacks (signIn, then
// jwt, as its OAuth callback route calls them) with the profiles a provider
// could send, against a real database.

let database: TestDatabase;
let ada: number;
let bob: number;
let gone: number;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  Object.assign(process.env, {
    GITHUB_ID: "gh-client",
    GITHUB_SECRET: "gh-secret",
    OIDC_ISSUER: "https://idp.example",
    OIDC_CLIENT_ID: "oidc-client",
    OIDC_CLIENT_SECRET: "oidc-secret",
  });
  const user = (email: string, disabledAt: Date | null = null) =>
    database.db.user
      .create({ data: { email, name: email, role: "OPERATOR", disabledAt } })
      .then((u) => u.id);
  ada = await user("ada@lethe.dev");
  bob = await user("bob@lethe.dev");
  gone = await user("gone@lethe.dev", new Date());
});
afterAll(() => database.drop());

/**
 * Signs in as next-auth would after the provider's callback: `profile` is
 * the provider's own (OIDC: the ID token's claims). The session's user id,
 * or what the login form says about the refusal.
 */
async function signIn(provider: "oidc" | "github", accountId: string, profile: Profile) {
  const callbacks = authOptions().callbacks;
  if (!callbacks?.signIn || !callbacks.jwt) throw new Error("no signIn or jwt callback");
  const account: Account = { provider, type: "oauth", providerAccountId: accountId };
  const user: User = { id: accountId, email: profile.email ?? null, name: "x" };
  try {
    const allowed = await callbacks.signIn({ user, account, profile });
    if (allowed !== true) return describeSignInError("AccessDenied");
  } catch (error) {
    return describeSignInError((error as Error).message);
  }
  const token = (await callbacks.jwt({ token: {}, user, account, profile })) as JWT;
  return token.userId;
}

const NO_ACCESS = describeSignInError("AccessDenied");
const UNVERIFIED = describeSignInError("UnverifiedAddress");
const identities = () =>
  database.db.userIdentity.findMany({
    select: { userId: true, provider: true, providerAccountId: true },
    orderBy: { id: "asc" },
  });

describe("external sign-in is bound to the provider's account id, on a verified address", () => {
  it("a first sign-in without email_verified === true is refused, and binds nothing", async () => {
    const email = "ada@lethe.dev";
    expect(await signIn("oidc", "sub-ada", { email, email_verified: "true" } as Profile)).toBe(
      UNVERIFIED,
    );
    expect(await signIn("oidc", "sub-ada", { email, email_verified: false } as Profile)).toBe(
      UNVERIFIED,
    );
    expect(await signIn("oidc", "sub-ada", { email })).toBe(UNVERIFIED);
    expect(await signIn("oidc", "sub-ada", { email_verified: true } as Profile)).toBe(UNVERIFIED);
    expect(await identities()).toEqual([]);
  });

  it("a verified first sign-in binds the identity to the user with that address, audited with ids only", async () => {
    const profile = { email: "ADA@lethe.dev", email_verified: true } as Profile;
    expect(await signIn("oidc", "sub-ada", profile)).toBe(ada);
    expect(await identities()).toEqual([
      { userId: ada, provider: "oidc", providerAccountId: "sub-ada" },
    ]);
    const entries = await database.db.auditEntry.findMany({
      where: { action: "auth.identity_bound" },
      select: { actor: true, target: true, details: true },
    });
    expect(entries).toEqual([
      { actor: `user:${ada}`, target: `user:${ada}`, details: { provider: "oidc" } },
    ]);
  });

  it("a bound identity is its user, whatever address the provider reports now", async () => {
    // Ada's IdP account now says it is bob@, unverified: still Ada, never Bob.
    const profile = { email: "bob@lethe.dev", email_verified: false } as Profile;
    expect(await signIn("oidc", "sub-ada", profile)).toBe(ada);
    expect(await signIn("oidc", "sub-ada", {})).toBe(ada);
  });

  it("a second account of the same provider cannot take over a user who has one", async () => {
    const profile = { email: "ada@lethe.dev", email_verified: true } as Profile;
    expect(await signIn("oidc", "sub-mallory", profile)).toBe(NO_ACCESS);
    // Another provider is another identity.
    expect(await signIn("github", "4242", profile)).toBe(ada);
    expect((await identities()).length).toBe(2);
  });

  it("a disabled user, or an address no user has, gets no access", async () => {
    const verified = (email: string) => ({ email, email_verified: true }) as Profile;
    expect(await signIn("oidc", "sub-gone", verified("gone@lethe.dev"))).toBe(NO_ACCESS);
    expect(await signIn("oidc", "sub-eve", verified("eve@lethe.dev"))).toBe(NO_ACCESS);
    // Bound first, disabled later: refused too.
    expect(await signIn("oidc", "sub-bob", verified("bob@lethe.dev"))).toBe(bob);
    await database.db.user.update({ where: { id: bob }, data: { disabledAt: new Date() } });
    expect(await signIn("oidc", "sub-bob", verified("bob@lethe.dev"))).toBe(NO_ACCESS);
    expect((await identities()).some((i) => i.userId === gone)).toBe(false);
  });
});

describe("concurrent first sign-ins", () => {
  it("bind one identity per provider per user: the same account twice is one user, two accounts one winner", async () => {
    const cy = (await database.db.user.create({ data: { email: "cy@lethe.dev", name: "Cy" } })).id;
    const dee = (await database.db.user.create({ data: { email: "dee@lethe.dev", name: "Dee" } }))
      .id;
    const claim = (email: string, accountId: string) =>
      resolveExternalSignIn(database.db, {
        provider: "oidc",
        accountId,
        email,
        emailVerified: true,
      });
    const same = await Promise.all([
      claim("cy@lethe.dev", "sub-cy"),
      claim("cy@lethe.dev", "sub-cy"),
    ]);
    expect(same).toEqual([{ userId: cy }, { userId: cy }]);
    const rivals = await Promise.all([
      claim("dee@lethe.dev", "sub-d1"),
      claim("dee@lethe.dev", "sub-d2"),
    ]);
    expect(rivals).toContainEqual({ userId: dee });
    expect(rivals).toContainEqual({ refused: "no-access" });
    const bound = await database.db.userIdentity.count({ where: { userId: { in: [cy, dee] } } });
    expect(bound).toBe(2);
  });
});

describe("GitHub's profile carries its verified primary address", () => {
  async function githubProfile(emails: unknown, status = 200) {
    const fetch = vi.fn(async () => new Response(JSON.stringify(emails), { status }));
    vi.stubGlobal("fetch", fetch);
    try {
      const client = { userinfo: async () => ({ id: 7, login: "octo", email: "public@x.dev" }) };
      const request = githubUserinfo.request;
      if (!request) throw new Error("githubUserinfo has no request");
      const profile = await request({
        client,
        tokens: { access_token: "gho_x" },
      } as unknown as Parameters<typeof request>[0]);
      expect(fetch).toHaveBeenCalledWith("https://api.github.com/user/emails", expect.anything());
      return profile as Profile;
    } finally {
      vi.unstubAllGlobals();
    }
  }

  it("the provider in use asks GitHub for the addresses", () => {
    const github = authOptions().providers.find((p) => p.id === "github") as {
      options?: { userinfo?: unknown };
    };
    expect(github.options?.userinfo).toBe(githubUserinfo);
  });

  it("binds on a verified primary address; refuses an unverified primary even beside a verified other", async () => {
    await database.db.user.create({
      data: { email: "octo@lethe.dev", name: "Octo", role: "VIEWER" },
    });
    const unverified = await githubProfile([
      { email: "octo@lethe.dev", primary: true, verified: false },
      { email: "ada@lethe.dev", primary: false, verified: true },
    ]);
    expect(await signIn("github", "7", unverified)).toBe(UNVERIFIED);
    expect(await signIn("github", "7", await githubProfile([], 403))).toBe(UNVERIFIED);
    const verified = await githubProfile([
      { email: "octo@lethe.dev", primary: true, verified: true },
    ]);
    expect(verified).toMatchObject({ email: "octo@lethe.dev", email_verified: true });
    const octo = await database.db.user.findUniqueOrThrow({ where: { email: "octo@lethe.dev" } });
    expect(await signIn("github", "7", verified)).toBe(octo.id);
  });
});
