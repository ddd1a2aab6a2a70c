import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { safeCallbackPath } from "@/server/auth/callback-url";
import { consoleOrigin } from "@/server/auth/server-settings";
import { currentUser } from "@/server/auth/session";
import { env } from "@/server/env";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  const safeCallback = safeCallbackPath(callbackUrl, consoleOrigin());
  if (await currentUser()) redirect(safeCallback);
  const e = env();
  const external = [
    ...(e.GITHUB_ID ? [{ id: "github", name: "GitHub" }] : []),
    ...(e.OIDC_ISSUER ? [{ id: "oidc", name: "Single sign-on" }] : []),
  ];
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <h1 className="text-2xl font-semibold tracking-tight">Sign in to Lethe</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Retention and purge console
          </p>
        </div>
        <LoginForm callbackUrl={safeCallback} external={external} initialError={error ?? null} />
      </div>
    </main>
  );
}
