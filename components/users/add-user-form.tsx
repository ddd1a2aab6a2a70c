"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Role } from "@/server/generated/prisma/enums";
import { useTRPC } from "../trpc/client";
import { SelectField, TextField } from "../ui/field";
import { useFormFields } from "../ui/form-fields";
import { FormSubmit, useCheckedSubmit } from "../ui/form-submit";

export type OneTimePassword = { email: string; password: string; reason: "added" | "reset" };

const ROLES: { value: Role; label: string }[] = [
  { value: "VIEWER", label: "Viewer: reads" },
  { value: "OPERATOR", label: "Operator: also previews and purges within policy" },
  { value: "ADMIN", label: "Admin: also governs policies, holds, erasure, users" },
];

/** Adds a user; the one-time password it gets goes to `onCreated`, to be shown once. */
export function AddUserForm({ onCreated }: { onCreated: (shown: OneTimePassword) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fields = useFormFields("user", { email: "", name: "", role: "VIEWER" as Role });
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async ({ user, oneTimePassword }) => {
        fields.reset();
        onCreated({ email: user.email, password: oneTimePassword ?? "", reason: "added" });
        await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );
  const form = useCheckedSubmit(
    () => import("@/server/accounts/inputs").then((m) => m.createUserInput),
    create,
  );
  return (
    <form
      onInvalidCapture={form.browserRefused}
      onSubmit={(e) => form.submit(e, fields.values)}
      className="grid gap-3 md:grid-cols-3"
      aria-label="Add a user"
    >
      <TextField label="Email" type="email" autoComplete="off" {...fields.bind("email")} />
      <TextField label="Name" autoComplete="off" {...fields.bind("name")} />
      <SelectField label="Role" options={ROLES} {...fields.bind("role")} />
      <FormSubmit {...form.status} label={["Add user", "Adding…"]} span="md:col-span-3" />
    </form>
  );
}
