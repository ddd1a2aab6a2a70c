"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import {
  API_TOKEN_DEFAULT_DAYS,
  API_TOKEN_MAX_DAYS,
  createTokenInput,
} from "@/server/accounts/inputs";
import type { ApiTokenScope } from "@/server/generated/prisma/enums";
import { describeZodError } from "@/server/errors";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Field, Input, Select } from "../ui/field";
import { FormAlert } from "../ui/states";

export type CreatedToken = { name: string; token: string; scope: ApiTokenScope; expiresAt: Date };

/** Creates one of the user's own tokens; the token goes to `onCreated`, to be shown once. */
export function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mayPurge = useCan("ADMIN");
  const [name, setName] = useState("");
  const [scope, setScope] = useState<ApiTokenScope>("READ");
  const [days, setDays] = useState(String(API_TOKEN_DEFAULT_DAYS));
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: async (created) => {
        setName("");
        onCreated(created);
        await queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
      },
      onError: (e) => setError(e.message),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = createTokenInput.safeParse({ name, scope, expiresInDays: Number(days) });
    if (!parsed.success) return setError(describeZodError(parsed.error));
    setError(null);
    create.mutate(parsed.data);
  }
  return (
    <form onSubmit={submit} className="grid gap-3 md:grid-cols-3" aria-label="Create an API token">
      <Field id="token-name" label="Name" hint="Where it is used, e.g. ci or grafana.">
        <Input id="token-name" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field
        id="token-scope"
        label="Scope"
        hint={mayPurge ? undefined : "Purge tokens are for admins."}
      >
        <Select
          id="token-scope"
          value={scope}
          onChange={(e) => setScope(e.target.value as ApiTokenScope)}
        >
          <option value="READ">Read: manifests and exports</option>
          {mayPurge ? <option value="PURGE">Purge: also purge-now for an org</option> : null}
        </Select>
      </Field>
      <Field id="token-days" label="Expires after (days)" hint={`At most ${API_TOKEN_MAX_DAYS}.`}>
        <Input
          id="token-days"
          type="number"
          min={1}
          max={API_TOKEN_MAX_DAYS}
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
      </Field>
      <FormAlert message={error} className="md:col-span-3" />
      <div className="md:col-span-3">
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </Button>
      </div>
    </form>
  );
}
