import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ChoosePassword } from "@/components/auth/choose-password";
import { currentUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "Choose a new password" };

/** Where a one-time password leads: nothing else of the console opens until it is replaced. */
export default async function ChoosePasswordPage() {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (!user.mustChangePassword) redirect("/");
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <h1 className="text-2xl font-semibold tracking-tight">Choose a new password</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            You signed in as {user.email} with a one-time password. Choose your own to continue.
          </p>
        </div>
        <ChoosePassword email={user.email} />
      </div>
    </main>
  );
}
