"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { createUserInput } from "@/server/accounts/inputs";
import type { Role } from "@/server/generated/prisma/enums";
import { describeZodError } from "@/server/errors";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Field, Input, Select } from "../ui/field";
import { FormAlert } from "../ui/states";

export type OneTimePassword = { email: string; password: string; reason: "added" | "reset" };

/** Adds a user; the one-time password it gets goes to `onCreated`, to be shown once. */
export function AddUserForm({ onCreated }: { onCreated: (shown: OneTimePassword) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("VIEWER");
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async ({ user, oneTimePassword }) => {
        setEmail("");
        setName("");
        setRole("VIEWER");
        onCreated({ email: user.email, password: oneTimePassword ?? "", reason: "added" });
        await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
      onError: (e) => setError(e.message),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = createUserInput.safeParse({ email, name, role });
    if (!parsed.success) return setError(describeZodError(parsed.error));
    setError(null);
    create.mutate(parsed.data);
  }
  return (
    <form onSubmit={submit} className="grid gap-3 md:grid-cols-3" aria-label="Add a user">
      <Field id="user-email" label="Email">
        <Input
          id="user-email"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </Field>
      <Field id="user-name" label="Name">
        <Input
          id="user-name"
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <Field id="user-role" label="Role">
        <Select id="user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="VIEWER">Viewer: reads</option>
          <option value="OPERATOR">Operator: also previews and purges within policy</option>
          <option value="ADMIN">Admin: also governs policies, holds, erasure, users</option>
        </Select>
      </Field>
      <FormAlert message={error} className="md:col-span-3" />
      <div className="md:col-span-3">
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add user"}
        </Button>
      </div>
    </form>
  );
}
