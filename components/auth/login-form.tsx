"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { describeSignInError } from "@/server/auth/sign-in-errors";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { FormAlert } from "../ui/states";

export function LoginForm(props: {
  callbackUrl: string;
  external: { id: string; name: string }[];
  initialError: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState(
    props.initialError ? describeSignInError(props.initialError) : null,
  );
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) {
      setError(describeSignInError(result?.error ?? "CredentialsSignin"));
      return;
    }
    router.replace(props.callbackUrl);
    router.refresh();
  }

  return (
    <Card className="p-6">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="email" className="text-sm font-medium">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            className="h-10 rounded-md border border-zinc-300 bg-white px-3 dark:border-zinc-700 dark:bg-zinc-950"
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="password" className="text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="h-10 rounded-md border border-zinc-300 bg-white px-3 dark:border-zinc-700 dark:bg-zinc-950"
          />
        </div>
        <FormAlert message={error} />
        <Button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {props.external.length > 0 ? (
        <div className="mt-4 flex flex-col gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          {props.external.map((p) => (
            <Button
              key={p.id}
              variant="secondary"
              onClick={() => void signIn(p.id, { callbackUrl: props.callbackUrl })}
            >
              Continue with {p.name}
            </Button>
          ))}
        </div>
      ) : null}
    </Card>
  );
}
