"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { changePasswordInput, PASSWORD_MIN_LENGTH } from "@/server/accounts/inputs";
import { describeZodError } from "@/server/errors";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Field, Input } from "../ui/field";
import { FormAlert } from "../ui/states";

/**
 * Sets the user's own password, given the current one. `forced`: the
 * current one is the one-time password the user signed in with.
 */
export function ChangePasswordForm(props: { forced: boolean; onChanged: () => void }) {
  const trpc = useTRPC();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [error, setError] = useState<string | null>(null);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: props.onChanged,
      onError: (e) => setError(e.message),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== again) return setError("The two new passwords differ: type the same one twice.");
    const parsed = changePasswordInput.safeParse({
      currentPassword: current,
      newPassword: next,
    });
    if (!parsed.success) return setError(describeZodError(parsed.error));
    setError(null);
    change.mutate(parsed.data);
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Change password">
      <Field
        id="current-password"
        label={props.forced ? "One-time password" : "Current password"}
        hint={props.forced ? "The one you signed in with, once more." : undefined}
      >
        <Input
          id="current-password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </Field>
      <Field
        id="new-password"
        label="New password"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters; a few words make a good one.`}
      >
        <Input
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </Field>
      <Field id="new-password-again" label="New password again">
        <Input
          id="new-password-again"
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
      </Field>
      <FormAlert message={error} />
      <Button type="submit" disabled={change.isPending}>
        {change.isPending ? "Saving…" : "Save new password"}
      </Button>
    </form>
  );
}
