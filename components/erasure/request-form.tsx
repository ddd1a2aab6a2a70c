"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { erasureRequestInput } from "@/server/trpc/schemas";
import { OrgSelect } from "../orgs/org-select";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Field, Input, Select } from "../ui/field";
import { FormAlert } from "../ui/states";

/** One admin asks for an erasure: the whole org, or one member, said explicitly. */
export function RequestForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [orgId, setOrgId] = useState<number | null>(null);
  const [memberId, setMemberId] = useState<number | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const members = useQuery({
    ...trpc.erasure.members.queryOptions({ orgId: orgId ?? 0 }),
    enabled: Boolean(orgId),
  });
  const request = useMutation(
    trpc.erasure.request.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Erasure #${r.id} requested. A second admin must preview and approve it.`);
        setReason("");
        await queryClient.invalidateQueries({ queryKey: trpc.erasure.list.queryKey() });
      },
      onError: (e) => setError(e.message),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = erasureRequestInput.safeParse(
      memberId === null
        ? { scope: "ORGANIZATION", orgId: orgId ?? 0, reason }
        : { scope: "MEMBER", orgId: orgId ?? 0, memberId, reason },
    );
    if (!parsed.success)
      return setError(
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      );
    setError(null);
    request.mutate(parsed.data);
  }
  return (
    <form
      onSubmit={submit}
      className="grid gap-3 md:grid-cols-2"
      aria-label="Request a GDPR erasure"
    >
      <Field id="erasure-org" label="Organization" className="md:col-span-2">
        <OrgSelect
          id="erasure-org"
          value={orgId}
          onChange={(v) => {
            setOrgId(v);
            setMemberId(null);
          }}
        />
      </Field>
      <Field
        id="erasure-member"
        label="Whose artifacts"
        hint="All of the org's artifacts, or one member's."
      >
        <Select
          id="erasure-member"
          value={memberId ?? ""}
          onChange={(e) => setMemberId(e.target.value ? Number(e.target.value) : null)}
          disabled={!orgId}
        >
          <option value="">The whole organization</option>
          {members.data?.map((m) => (
            <option key={m.id} value={m.id}>
              {m.externalId}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        id="erasure-reason"
        label="Reason"
        hint="A ticket or request number; no personal data."
      >
        <Input
          id="erasure-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. DSR-2026-0117"
        />
      </Field>
      <FormAlert message={error} className="md:col-span-2" />
      <div className="md:col-span-2">
        <Button type="submit" variant="danger" disabled={request.isPending}>
          Request erasure
        </Button>
      </div>
    </form>
  );
}
