import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/server/auth/password";
import { describeSignInError } from "@/server/auth/sign-in-errors";
import { apiRoutes, callRoute, type ApiRoute } from "@/test/api-routes";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { useRouteEnvironment } from "@/test/route-env";

// A password sign-in as the login form makes it: next-auth's CSRF token,
// then POST /api/auth/callback/credentials, through the route handlers.

let database: TestDatabase;
let get: ApiRoute;
let post: ApiRoute;
let userId: number;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  process.env.TRUSTED_PROXY_HOPS = "1";
  userId = (
    await database.db.user.create({
      data: {
        email: "op@lethe.dev",
        name: "Op",
        role: "OPERATOR",
        passwordHash: await hashPassword("right-password"),
      },
    })
  ).id;
  const routes = await apiRoutes();
  const find = (method: string) =>
    routes.find((r) => r.key === `${method} /api/auth/[...nextauth]`);
  const [g, p] = [find("GET"), find("POST")];
  if (!g || !p) throw new Error("no next-auth route");
  [get, post] = [g, p];
});
afterAll(() => database.drop());

/** What the login form shows after signing in with `password`: its sentence, or "signed in". */
async function signIn(password: string) {
  const csrf = await callRoute(get, { nextauth: ["csrf"] });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const response = await callRoute(
    post,
    { nextauth: ["callback", "credentials"] },
    {
      headers: {
        cookie,
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-for": "203.0.113.9",
      },
      body: new URLSearchParams({
        csrfToken,
        email: "op@lethe.dev",
        password,
        json: "true",
      }).toString(),
      withCookies: true,
    },
  );
  // signIn() of next-auth/react reads the error code from this URL.
  const { url } = (await response.json()) as { url: string };
  const error = new URL(url).searchParams.get("error");
  return error ? describeSignInError(error) : "signed in";
}

describe("password sign-in through next-auth", () => {
  it("the login form is told of the lock, in minutes, and the lock is audited", async () => {
    expect(await signIn("right-password")).toBe("signed in");
    for (let i = 0; i < 4; i++)
      expect(await signIn("guess")).toBe("Email or password is incorrect.");
    expect(await signIn("guess")).toBe("Too many failed sign-ins. Try again in 1 minute.");
    expect(await signIn("right-password")).toBe("Too many failed sign-ins. Try again in 1 minute.");
    const locks = await database.db.auditEntry.findMany({
      where: { action: "auth.sign_in_locked" },
      select: { target: true, details: true },
    });
    expect(locks).toEqual([
      { target: `user:${userId}`, details: { scope: "account", seconds: 60, lockout: 1 } },
    ]);
  });
});
