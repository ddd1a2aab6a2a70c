"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { MAX_PERIOD_DAYS } from "@/server/retention/evidence/pack/limits";
import { OrgSelect } from "../orgs/org-select";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { Field, Input } from "../ui/field";
import { FormAlert } from "../ui/states";
import { PackList } from "./pack-list";
import { isoDay } from "@/server/calendar-day";

const DAY = 86_400_000;

function DayField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (day: string) => void;
}) {
  return (
    <Field id={props.id} label={props.label}>
      <Input
        id={props.id}
        type="date"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Field>
  );
}

/** Which key signs the packs, as `npm run evidence:verify` names it; or why none can be built. */
function SigningKey({
  fingerprint,
  missing,
}: {
  fingerprint: string | null;
  missing: string | null;
}) {
  if (missing) return <FormAlert message={missing} />;
  if (!fingerprint) return null;
  return (
    <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-300" data-testid="signing-key">
      Packs are signed with key <code className="font-mono">{fingerprint}</code>:{" "}
      <code className="font-mono">npm run evidence:verify</code> names the key that signed a pack,
      and the public key downloaded here is that key.
    </p>
  );
}

/** The Evidence page: ask for the pack of a period (of one org), follow its build, download it. */
export function EvidenceView({ initialOrgId }: { initialOrgId: number | null }) {
  const admin = useCan("ADMIN");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [from, setFrom] = useState(() => isoDay(Date.now() - 29 * DAY));
  const [to, setTo] = useState(() => isoDay(Date.now()));
  const [orgId, setOrgId] = useState<number | null>(initialOrgId);
  const key = useQuery({ ...trpc.evidence.signingKey.queryOptions(), enabled: admin });
  const build = useMutation(
    trpc.evidence.build.mutationOptions({
      onSuccess: async (pack) => {
        toast.success(
          pack.status === "READY"
            ? `Evidence pack ${pack.id} is ready.`
            : `Evidence pack ${pack.id} is being built in the background.`,
        );
        await queryClient.invalidateQueries({ queryKey: trpc.evidence.packs.queryKey() });
      },
    }),
  );
  if (!admin)
    return <Card>Evidence packs are built and downloaded by an ADMIN; ask one for a pack.</Card>;
  return (
    <div className="flex flex-col gap-4">
      <Card>
        <CardTitle
          action={
            key.data?.fingerprint ? (
              <Button asChild variant="secondary" size="sm">
                <a href="/api/evidence/public-key" download>
                  Download public key
                </a>
              </Button>
            ) : undefined
          }
        >
          Build a pack
        </CardTitle>
        <SigningKey
          fingerprint={key.data?.fingerprint ?? null}
          missing={key.data?.missing ?? null}
        />
        <form
          className="flex flex-col gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            build.mutate({ from, to, orgId });
          }}
        >
          <div className="flex flex-wrap gap-3">
            <DayField id="evidence-from" label="From" value={from} onChange={setFrom} />
            <DayField id="evidence-to" label="To" value={to} onChange={setTo} />
            <Field
              id="evidence-org"
              label="Organization"
              hint={
                orgId === null
                  ? "None chosen: every organization."
                  : "This organization's deletions and audit entries only."
              }
              className="min-w-72 flex-1"
            >
              <OrgSelect id="evidence-org" value={orgId} onChange={setOrgId} />
            </Field>
          </div>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            UTC days, both included; at most {MAX_PERIOD_DAYS} days. The pack holds every item
            deleted in the period, its reconciliation with run records and metrics, the audit
            chain&apos;s verification and the policy of each day, signed with Ed25519.
          </p>
          <FormAlert message={build.error?.message} />
          <div>
            <Button type="submit" disabled={build.isPending}>
              {build.isPending ? "Building…" : "Build pack"}
            </Button>
          </div>
        </form>
      </Card>
      <PackList />
    </div>
  );
}
