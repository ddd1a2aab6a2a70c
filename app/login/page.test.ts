// Before any of Next's modules: they must find its AsyncLocalStorage when they load.
import "@/test/next-async-storage";
import { randomBytes } from "node:crypto";
import { isValidElement, type ReactElement, type ReactNode } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import { LoginForm } from "@/components/auth/login-form";
import { withoutSession } from "@/test/request-scope";

const CONSOLE = "http://console.test:3000";

beforeAll(() => {
  Object.assign(process.env, {
    // Never connected to: a page without a session cookie reads no user.
    DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none",
    NEXTAUTH_SECRET: randomBytes(24).toString("hex"),
    NEXTAUTH_URL: CONSOLE,
  });
});

/** The callbackUrl the login page hands its form, for a ?callbackUrl= as the browser sent it. */
async function formCallback(callbackUrl: string) {
  const { default: LoginPage } = await import("./page");
  const page = await withoutSession(() =>
    LoginPage({ searchParams: Promise.resolve({ callbackUrl }) }),
  );
  const find = (node: ReactNode): ReactElement<{ callbackUrl: string }> | null => {
    if (Array.isArray(node)) return node.map(find).find(Boolean) ?? null;
    if (!isValidElement<{ children?: ReactNode }>(node)) return null;
    if (node.type === LoginForm) return node as ReactElement<{ callbackUrl: string }>;
    return find(node.props.children);
  };
  const form = find(page);
  if (!form) throw new Error("the login page renders no LoginForm");
  return form.props.callbackUrl;
}

describe("after sign-in, nobody is sent off the console", () => {
  // What the page receives once the query string is decoded: ?callbackUrl=/%09/evil.com arrives as "/\t/evil.com".
  it.each(["/\\evil.com", "/\t/evil.com", "//evil.com", "https://evil.com", "javascript:alert(1)"])(
    "the login page hands the form / for %j",
    async (hostile) => {
      expect(await formCallback(hostile)).toBe("/");
    },
  );

  it("the login page keeps the console's own path", async () => {
    expect(await formCallback("/runs?status=FAILED")).toBe("/runs?status=FAILED");
  });

  it("next-auth's redirect after an external sign-in stays on the console", async () => {
    const { authOptions } = await import("@/server/auth/options");
    const redirect = authOptions().callbacks?.redirect;
    if (!redirect) throw new Error("no redirect callback");
    const to = (url: string) => redirect({ url, baseUrl: CONSOLE });
    for (const hostile of ["/\\evil.com", "//evil.com", "https://evil.com/x", "javascript:x"])
      expect(new URL(await to(hostile)).origin, hostile).toBe(CONSOLE);
    expect(await to("/audit")).toBe(`${CONSOLE}/audit`);
    expect(await to(`${CONSOLE}/runs`)).toBe(`${CONSOLE}/runs`);
  });
});
