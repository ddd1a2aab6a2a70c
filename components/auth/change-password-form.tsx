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
 * Sets the user's own password. `forced`: the password is a one-time one,
 * so the current one is not asked for again.
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
      currentPassword: props.forced ? undefined : current,
      newPassword: next,
    });
    if (!parsed.success) return setError(describeZodError(parsed.error));
    setError(null);
    change.mutate(parsed.data);
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Change password">
      {props.forced ? null : (
        <Field id="current-password" label="Current password">
          <Input
            id="current-password"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </Field>
      )}
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
