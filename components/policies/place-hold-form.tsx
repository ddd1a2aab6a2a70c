"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { OrgSelect } from "../orgs/org-select";
import { useTRPC } from "../trpc/client";
import { Field, SelectField, TextField } from "../ui/field";
import { useFormFields } from "../ui/form-fields";
import { FormSubmit, useCheckedSubmit } from "../ui/form-submit";

type Scope = "ORG" | "INCIDENT" | "ARTIFACT";

const SCOPES: { value: Scope; label: string }[] = [
  { value: "ORG", label: "A whole organization" },
  { value: "INCIDENT", label: "One incident (payload and approvals)" },
  { value: "ARTIFACT", label: "One artifact" },
];

/** What the form's values ask the server for: the hold's scope names what it covers. */
function holdOf({
  scope,
  org,
  target,
  reason,
}: {
  scope: Scope;
  org: number | null;
  target: string;
  reason: string;
}) {
  if (scope === "ORG") return { scope, orgId: org ?? 0, reason };
  if (scope === "INCIDENT") return { scope, incidentId: Number(target), reason };
  return { scope, artifactId: Number(target), reason };
}

/** Places a legal hold on an organization, one incident or one artifact. */
export function PlaceHoldForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fields = useFormFields("hold", {
    scope: "ORG" as Scope,
    org: null as number | null,
    target: "",
    reason: "",
  });
  const place = useMutation(
    trpc.holds.place.mutationOptions({
      onSuccess: async (hold) => {
        toast.success(
          `Legal hold #${hold.id} placed: nothing it covers will be purged until it is released.`,
        );
        fields.set({ reason: "", target: "" });
        await queryClient.invalidateQueries({ queryKey: trpc.holds.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.orgs.list.queryKey() });
      },
    }),
  );
  const form = useCheckedSubmit(
    () => import("@/server/trpc/schemas").then((m) => m.placeHoldInput),
    place,
    {
      orgId: "Organization",
      incidentId: "Incident id",
      artifactId: "Artifact id",
      reason: "Reason",
    },
  );
  const { scope, org } = fields.values;
  return (
    <form
      onInvalidCapture={form.browserRefused}
      onSubmit={(e) => form.submit(e, holdOf(fields.values))}
      className="grid gap-3 md:grid-cols-2"
      aria-label="Place a legal hold"
    >
      <SelectField label="Covers" options={SCOPES} {...fields.bind("scope")} />
      {scope === "ORG" ? (
        <Field id="hold-org" label="Organization">
          <OrgSelect id="hold-org" value={org} onChange={(v) => fields.set({ org: v })} />
        </Field>
      ) : (
        <TextField
          label={scope === "INCIDENT" ? "Incident id" : "Artifact id"}
          inputMode="numeric"
          {...fields.bind("target")}
        />
      )}
      <TextField
        label="Reason"
        hint="Audited with the hold. Ids and case numbers, not personal data."
        className="md:col-span-2"
        placeholder="e.g. Litigation hold, case 2026-CV-0142"
        {...fields.bind("reason")}
      />
      <FormSubmit {...form.status} label={["Place legal hold", "Placing…"]} span="md:col-span-2" />
    </form>
  );
}
