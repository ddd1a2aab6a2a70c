"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { OrgSelect } from "../orgs/org-select";
import { useTRPC } from "../trpc/client";
import { Field, SelectField, TextField } from "../ui/field";
import { useFormFields } from "../ui/form-fields";
import { FormSubmit, useCheckedSubmit } from "../ui/form-submit";

/** One admin asks for an erasure: the whole org, or one member, said explicitly. */
export function RequestForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fields = useFormFields("erasure", {
    org: null as number | null,
    member: null as number | null,
    reason: "",
  });
  const { org, member, reason } = fields.values;
  const members = useQuery({
    ...trpc.erasure.members.queryOptions({ orgId: org ?? 0 }),
    enabled: Boolean(org),
  });
  const request = useMutation(
    trpc.erasure.request.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Erasure #${r.id} requested. A second admin must preview and approve it.`);
        fields.set({ reason: "" });
        await queryClient.invalidateQueries({ queryKey: trpc.erasure.list.queryKey() });
      },
    }),
  );
  const form = useCheckedSubmit(
    () => import("@/server/trpc/schemas").then((m) => m.erasureRequestInput),
    request,
    { orgId: "Organization", memberId: "Whose artifacts", reason: "Reason" },
  );
  return (
    <form
      onInvalidCapture={form.browserRefused}
      onSubmit={(e) =>
        form.submit(
          e,
          member === null
            ? { scope: "ORGANIZATION", orgId: org ?? 0, reason }
            : { scope: "MEMBER", orgId: org ?? 0, memberId: member, reason },
        )
      }
      className="grid gap-3 md:grid-cols-2"
      aria-label="Request a GDPR erasure"
    >
      <Field id="erasure-org" label="Organization" className="md:col-span-2">
        <OrgSelect
          id="erasure-org"
          value={org}
          onChange={(v) => fields.set({ org: v, member: null })}
        />
      </Field>
      <SelectField
        label="Whose artifacts"
        hint="All of the org's artifacts, or one member's."
        options={[
          { value: null, label: "The whole organization" },
          ...(members.data ?? []).map((m) => ({ value: m.id, label: m.externalId })),
        ]}
        disabled={!org}
        {...fields.bind("member")}
      />
      <TextField
        label="Reason"
        hint="A ticket or request number; no personal data."
        placeholder="e.g. DSR-2026-0117"
        {...fields.bind("reason")}
      />
      <FormSubmit {...form.status} label="Request erasure" variant="danger" span="md:col-span-2" />
    </form>
  );
}
