"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { PASSWORD_MIN_LENGTH } from "@/server/accounts/limits";
import { useTRPC } from "../trpc/client";
import { TextField } from "../ui/field";
import { useFormFields } from "../ui/form-fields";
import { FormSubmit, useCheckedSubmit } from "../ui/form-submit";

/**
 * Sets the user's own password, given the current one. `forced`: the
 * current one is the one-time password the user signed in with. The change
 * ends every session of the account, this one too, so the form signs in
 * again with the new password; `onChanged` learns whether that worked.
 */
export function ChangePasswordForm(props: {
  email: string;
  forced: boolean;
  onChanged: (signedIn: boolean) => void;
}) {
  const trpc = useTRPC();
  const fields = useFormFields("password", { current: "", next: "", again: "" });
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: async (_changed, { newPassword }) => {
        const again = await signIn("credentials", {
          email: props.email,
          password: newPassword,
          redirect: false,
        });
        props.onChanged(again?.ok === true && !again.error);
      },
    }),
  );
  const form = useCheckedSubmit(
    () => import("@/server/accounts/inputs").then((m) => m.changePasswordInput),
    change,
  );
  const { current, next, again } = fields.values;
  const chosen = { type: "password", autoComplete: "new-password" } as const;
  return (
    <form
      onInvalidCapture={form.browserRefused}
      onSubmit={(e) =>
        form.submit(
          e,
          { currentPassword: current, newPassword: next },
          next === again ? null : "The two new passwords differ: type the same one twice.",
        )
      }
      className="flex flex-col gap-4"
      aria-label="Change password"
    >
      <TextField
        label={props.forced ? "One-time password" : "Current password"}
        hint={props.forced ? "The one you signed in with, once more." : undefined}
        type="password"
        autoComplete="current-password"
        {...fields.bind("current")}
      />
      <TextField
        label="New password"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters; a few words make a good one.`}
        {...chosen}
        {...fields.bind("next")}
      />
      <TextField label="New password again" {...chosen} {...fields.bind("again")} />
      <FormSubmit {...form.status} label={["Save new password", "Saving…"]} />
    </form>
  );
}
