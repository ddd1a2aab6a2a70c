"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS } from "@/server/accounts/limits";
import type { ApiTokenScope } from "@/server/generated/prisma/enums";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { SelectField, TextField } from "../ui/field";
import { useFormFields } from "../ui/form-fields";
import { FormSubmit, useCheckedSubmit } from "../ui/form-submit";

export type CreatedToken = { name: string; token: string; scope: ApiTokenScope; expiresAt: Date };

/** Creates one of the user's own tokens; the token goes to `onCreated`, to be shown once. */
export function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mayPurge = useCan("ADMIN");
  const fields = useFormFields("token", {
    name: "",
    scope: "READ" as ApiTokenScope,
    days: String(API_TOKEN_DEFAULT_DAYS),
  });
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: async (created) => {
        fields.set({ name: "" });
        onCreated(created);
        await queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
      },
    }),
  );
  const form = useCheckedSubmit(
    () => import("@/server/accounts/inputs").then((m) => m.createTokenInput),
    create,
  );
  const { name, scope, days } = fields.values;
  return (
    <form
      onInvalidCapture={form.browserRefused}
      onSubmit={(e) => form.submit(e, { name, scope, expiresInDays: Number(days) })}
      className="grid gap-3 md:grid-cols-3"
      aria-label="Create an API token"
    >
      <TextField
        label="Name"
        hint="Where it is used, e.g. ci or grafana."
        {...fields.bind("name")}
      />
      <SelectField
        label="Scope"
        hint={mayPurge ? undefined : "Purge tokens are for admins."}
        options={[
          { value: "READ", label: "Read: run manifests, deletions CSV" },
          ...(mayPurge
            ? [{ value: "PURGE" as const, label: "Purge: also purge-now for an org" }]
            : []),
        ]}
        {...fields.bind("scope")}
      />
      <TextField
        label="Expires after (days)"
        hint={`At most ${API_TOKEN_MAX_DAYS}.`}
        type="number"
        min={1}
        max={API_TOKEN_MAX_DAYS}
        {...fields.bind("days")}
      />
      <FormSubmit {...form.status} label={["Create token", "Creating…"]} span="md:col-span-3" />
    </form>
  );
}
