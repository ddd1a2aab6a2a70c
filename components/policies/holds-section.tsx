"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { placeHoldInput } from "@/server/trpc/schemas";
import { formatDate } from "../format";
import { OrgSelect } from "../orgs/org-select";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { Field, Input, Select } from "../ui/field";
import { ErrorBlock, FormAlert, LoadingBlock } from "../ui/states";

type Scope = "ORG" | "INCIDENT" | "ARTIFACT";

function PlaceHoldForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<Scope>("ORG");
  const [orgId, setOrgId] = useState<number | null>(null);
  const [targetId, setTargetId] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const place = useMutation(
    trpc.holds.place.mutationOptions({
      onSuccess: async (hold) => {
        toast.success(
          `Legal hold #${hold.id} placed: nothing it covers will be purged until it is released.`,
        );
        setReason("");
        setTargetId("");
        await queryClient.invalidateQueries({ queryKey: trpc.holds.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.orgs.list.queryKey() });
      },
      onError: (e) => setError(e.message),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    const input =
      scope === "ORG"
        ? { scope, orgId: orgId ?? 0, reason }
        : scope === "INCIDENT"
          ? { scope, incidentId: Number(targetId), reason }
          : { scope, artifactId: Number(targetId), reason };
    const parsed = placeHoldInput.safeParse(input);
    if (!parsed.success) {
      setError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      return;
    }
    setError(null);
    place.mutate(parsed.data);
  }
  return (
    <form onSubmit={submit} className="grid gap-3 md:grid-cols-2" aria-label="Place a legal hold">
      <Field id="hold-scope" label="Covers">
        <Select id="hold-scope" value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
          <option value="ORG">A whole organization</option>
          <option value="INCIDENT">One incident (payload and approvals)</option>
          <option value="ARTIFACT">One artifact</option>
        </Select>
      </Field>
      {scope === "ORG" ? (
        <Field id="hold-org" label="Organization">
          <OrgSelect id="hold-org" value={orgId} onChange={setOrgId} />
        </Field>
      ) : (
        <Field id="hold-target" label={scope === "INCIDENT" ? "Incident id" : "Artifact id"}>
          <Input
            id="hold-target"
            inputMode="numeric"
            value={targetId}
            onChange={(e) => setTargetId(e.target.value)}
          />
        </Field>
      )}
      <Field
        id="hold-reason"
        label="Reason"
        hint="Audited with the hold. Ids and case numbers, not personal data."
        className="md:col-span-2"
      >
        <Input
          id="hold-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. Litigation hold, case 2026-CV-0142"
        />
      </Field>
      <FormAlert message={error} className="md:col-span-2" />
      <div className="md:col-span-2">
        <Button type="submit" disabled={place.isPending}>
          {place.isPending ? "Placing…" : "Place legal hold"}
        </Button>
      </div>
    </form>
  );
}

export function HoldsSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useCan("ADMIN");
  const query = useQuery(trpc.holds.list.queryOptions({ active: true }));
  const release = useMutation(
    trpc.holds.release.mutationOptions({
      onSuccess: async (hold) => {
        toast.success(`Legal hold #${hold.id} released: what it covered follows policy again.`);
        await queryClient.invalidateQueries({ queryKey: trpc.holds.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.orgs.list.queryKey() });
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  return (
    <Card className="mb-6">
      <CardTitle>Legal holds</CardTitle>
      {query.isPending ? (
        <LoadingBlock />
      ) : query.isError ? (
        <ErrorBlock title="Holds could not be loaded" query={query} />
      ) : query.data.length === 0 ? (
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">No active legal holds.</p>
      ) : (
        <table className="mb-4 w-full text-left text-sm" data-testid="holds-table">
          <caption className="sr-only">Active legal holds</caption>
          <thead className="text-xs text-zinc-600 uppercase dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-2">
                Hold
              </th>
              <th scope="col">Covers</th>
              <th scope="col">Reason</th>
              <th scope="col">Placed</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {query.data.map((h) => (
              <tr key={h.id}>
                <td className="py-2">
                  #{h.id} <Badge tone="warn">{h.scope.toLowerCase()}</Badge>
                </td>
                <td>
                  {h.orgName}
                  {h.incidentId ? ` · incident ${h.incidentId}` : ""}
                  {h.artifactId ? ` · artifact ${h.artifactId}` : ""}
                </td>
                <td>{h.reason}</td>
                <td>
                  {formatDate(h.placedAt)} by {h.placedBy}
                </td>
                <td className="text-right">
                  {isAdmin ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      disabled={release.isPending}
                      onClick={() => release.mutate({ holdId: h.id })}
                    >
                      Release
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isAdmin ? (
        <details className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          <summary className="cursor-pointer text-sm font-medium">Place a legal hold</summary>
          <div className="mt-3">
            <PlaceHoldForm />
          </div>
        </details>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          Only admins place and release legal holds.
        </p>
      )}
    </Card>
  );
}
