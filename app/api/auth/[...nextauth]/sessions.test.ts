// Before next/server: it must find Next's AsyncLocalStorage when it loads.
import "@/test/next-async-storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeOwnPassword } from "@/server/accounts/own-password";
import { resetPassword, setDisabled } from "@/server/accounts/users";
import { hashPassword } from "@/server/auth/password";
import { signInThrottle } from "@/server/auth/sign-in-throttle";
import { apiRoutes, callRoute, type ApiRoute } from "@/test/api-routes";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { useRouteEnvironment } from "@/test/route-env";
import { sessionCookie } from "@/test/session";

// Sessions are next-auth JWTs in a cookie: each test signs in through the
// login form's route, keeps the cookie as a thief would, and asks the console
// (a tRPC query) whether that cookie still opens it.

let database: TestDatabase;
const route: Record<string, ApiRoute> = {};
let adminId: number;
beforeAll(async () => {
  database = await createTestDatabase();
  await useRouteEnvironment(database);
  adminId = (
    await database.db.user.create({
      data: { email: "admin@sessions.test", name: "Admin", role: "ADMIN" },
    })
  ).id;
  for (const r of await apiRoutes()) route[r.key] = r;
});
afterAll(() => database.drop());

/** The cookies a response sets, as the next request's cookie header. */
const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

async function nextAuth(method: "GET" | "POST", path: string[], cookie: string, form?: object) {
  const handler = route[`${method} /api/auth/[...nextauth]`];
  if (!handler) throw new Error("no next-auth route");
  return callRoute(
    handler,
    { nextauth: path },
    {
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: form ? new URLSearchParams({ ...form, json: "true" }).toString() : undefined,
      withCookies: true,
    },
  );
}

/** Signs in with the login form's two requests; the session cookie it got. */
async function signIn(email: string, password: string) {
  const csrf = await nextAuth("GET", ["csrf"], "");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await nextAuth("POST", ["callback", "credentials"], cookiesOf(csrf), {
    csrfToken,
    email,
    password,
  });
  const session = cookiesOf(response);
  expect(session).toContain("next-auth.session-token=");
  return { session, csrf: `${cookiesOf(csrf)}; ${session}`, csrfToken };
}

/** The HTTP status of a console query made with `cookie`. */
async function consoleStatus(cookie: string) {
  const handler = route["GET /api/trpc/[trpc]"];
  if (!handler) throw new Error("no tRPC route");
  const response = await callRoute(
    handler,
    { trpc: "orgs.list" },
    {
      headers: { cookie },
      query: `?input=${encodeURIComponent(JSON.stringify({ json: { page: 1, pageSize: 5 } }))}`,
      withCookies: true,
    },
  );
  return response.status;
}

async function aUser(email: string, password: string) {
  const user = await database.db.user.create({
    data: { email, name: email, role: "OPERATOR", passwordHash: await hashPassword(password) },
  });
  return user.id;
}

describe("a session copied before", () => {
  it("a password change is worthless after it; the new sign-in works", async () => {
    const userId = await aUser("change@sessions.test", "first-password-1");
    const stolen = (await signIn("change@sessions.test", "first-password-1")).session;
    expect(await consoleStatus(stolen)).toBe(200);
    await changeOwnPassword(
      database.db,
      {
        userId,
        change: { currentPassword: "first-password-1", newPassword: "second-password-2" },
      },
      signInThrottle,
    );
    expect(await consoleStatus(stolen)).toBe(401);
    const fresh = (await signIn("change@sessions.test", "second-password-2")).session;
    expect(await consoleStatus(fresh)).toBe(200);
  });

  it("an admin's password reset is worthless after it, even once the user chose a new password", async () => {
    const userId = await aUser("reset@sessions.test", "first-password-1");
    const stolen = (await signIn("reset@sessions.test", "first-password-1")).session;
    const { oneTimePassword } = await resetPassword(database.db, {
      actor: { id: adminId },
      via: "console",
      userId,
    });
    await signIn("reset@sessions.test", oneTimePassword);
    await changeOwnPassword(
      database.db,
      {
        userId,
        change: { currentPassword: oneTimePassword, newPassword: "chosen-password-3" },
      },
      signInThrottle,
    );
    expect(await consoleStatus(stolen)).toBe(401);
  });

  it("a disable stays worthless after the account is enabled again", async () => {
    const userId = await aUser("disable@sessions.test", "first-password-1");
    const stolen = (await signIn("disable@sessions.test", "first-password-1")).session;
    for (const disabled of [true, false])
      await setDisabled(database.db, {
        actor: { id: adminId },
        via: "console",
        userId,
        disabled,
        production: false,
      });
    expect(await consoleStatus(stolen)).toBe(401);
  });

  it("a sign-out is worthless after it; the account's other sessions go on", async () => {
    await aUser("out@sessions.test", "first-password-1");
    const elsewhere = (await signIn("out@sessions.test", "first-password-1")).session;
    const signedIn = await signIn("out@sessions.test", "first-password-1");
    expect(await consoleStatus(signedIn.session)).toBe(200);
    await nextAuth("POST", ["signout"], signedIn.csrf, { csrfToken: signedIn.csrfToken });
    expect(await consoleStatus(signedIn.session)).toBe(401);
    expect(await consoleStatus(elsewhere)).toBe(200);
  });

  it("a sign-in more than 12 hours ago is worthless, however often its cookie was re-issued", async () => {
    const userId = await aUser("old@sessions.test", "first-password-1");
    expect(await consoleStatus(await sessionCookie(userId))).toBe(200);
    const twelveHoursAgo = Date.now() - 12 * 3_600_000 - 60_000;
    expect(await consoleStatus(await sessionCookie(userId, twelveHoursAgo))).toBe(401);
  });
});
