"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { Archive, Lock } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { AppRouter } from "@/server/trpc/root";
import { formatDate, formatDateTime } from "../format";
import { OrgHistoryLink } from "../orgs/history-link";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Badge, type Tone } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { column } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { QueryBoundary } from "../ui/query-boundary";
import { PurgeNote } from "../ui/purge-note";
import { FormAlert } from "../ui/states";
import { DriftSummary } from "./drift-summary";
import { PinPanel } from "../pins/pin-panel";
import { RestorePayload } from "./restore-payload";
import { IncidentStatusBadge } from "./status-badge";
import { Banner } from "../ui/banner";

type Incident = inferRouterOutputs<AppRouter>["incidents"]["get"];

const APPROVALS = ["approval", "approvals"] as const;

const APPROVAL_TONE: Record<string, Tone> = { APPROVED: "good", REJECTED: "bad" };

const approvalColumns: ColumnDef<Incident["approvals"][number], unknown>[] = [
  column("Action", "action", (a) => a.action.toLowerCase()),
  column("Decision", "decision", (a) => (
    <Badge tone={APPROVAL_TONE[a.status] ?? "neutral"}>{a.status.toLowerCase()}</Badge>
  )),
  column("Requested by", "requestedBy", (a) => a.requestedBy),
  column("Decided", "decided", (a) =>
    a.decidedAt ? `${formatDate(a.decidedAt)} by ${a.decidedBy}` : "—",
  ),
  column("Note", "note", (a) => a.note ?? "", { wrap: true }),
];

/** An incident with everything that survives its payload's purge. */
export function IncidentDetail({ id }: { id: number }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.incidents.get.queryOptions({ id }));
  return (
    <QueryBoundary
      query={query}
      loading="Loading the incident…"
      error="The incident could not be loaded"
    >
      {(incident) => <IncidentPage incident={incident} />}
    </QueryBoundary>
  );
}

function IncidentPage({ incident: i }: { incident: Incident }) {
  const canPurge = useCan("OPERATOR");
  const canRestore = useCan("ADMIN");
  return (
    <div className="flex flex-col gap-6">
      <h2 className="-mt-4 text-lg">{i.title}</h2>
      <div className="flex flex-wrap items-center gap-3">
        <IncidentStatusBadge status={i.status} />
        <span className="text-sm">
          {i.org.name} <Badge>{i.org.plan}</Badge>{" "}
          <OrgHistoryLink orgId={i.org.id} orgName={i.org.name} />
        </span>
        <span className="text-sm">
          Environment{" "}
          <Link
            className="text-sky-700 underline dark:text-sky-400"
            href={`/environments/${i.environment.id}`}
          >
            {i.environment.name}
          </Link>
        </span>
      </div>

      {i.payloadPurgedAt ? (
        <Banner tone="note" icon={Archive} testId="purged-banner">
          <div>
            <p className="font-semibold">
              Incident drift details were purged per retention policy.
            </p>
            <p>
              Purged on {formatDate(i.payloadPurgedAt)}
              {i.retention
                ? ` under the ${i.retention.plan} plan's ${i.retention.days ?? "∞"}-day window for closed-incident payloads`
                : ""}
              .
            </p>
            {i.restorable ? (
              <p data-testid="restorable-until">
                Purged, restorable until {formatDate(i.restorable.until)}: an admin can restore it
                from{" "}
                <Link className="underline" href={`/runs/${i.restorable.runId}`}>
                  the run that purged it
                </Link>
                .
              </p>
            ) : null}
            {i.restorable && canRestore ? (
              <RestorePayload incidentId={i.id} title={i.title} kept={i.restorable} />
            ) : null}
          </div>
        </Banner>
      ) : null}

      {i.holds.length > 0 ? (
        <div
          role="status"
          className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          <Lock aria-hidden className="mt-0.5 size-4 shrink-0" />
          <ul>
            {i.holds.map((h) => (
              <li key={h.id}>
                Held by legal hold #{h.id} ({h.scope.toLowerCase()}), placed by {h.placedBy} on{" "}
                {formatDate(h.placedAt)}: {h.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {i.payloadPurgedAt ? null : (
        <Card>
          <CardTitle>Pin</CardTitle>
          <PinPanel target={{ scope: "INCIDENT", incidentId: i.id }} />
        </Card>
      )}

      <Card>
        <CardTitle>Lifecycle</CardTitle>
        <ol className="grid gap-3 sm:grid-cols-5" data-testid="timeline">
          {i.timeline.map((step) => (
            <li
              key={step.step}
              className={`rounded-md border p-3 text-sm ${step.at ? "border-sky-300 dark:border-sky-800" : "border-dashed border-zinc-300 text-zinc-400 dark:border-zinc-700"}`}
            >
              <p className="font-medium">{step.step.toLowerCase()}</p>
              <p className="text-xs">{step.at ? formatDateTime(step.at) : "not reached"}</p>
            </li>
          ))}
        </ol>
      </Card>

      <Card>
        <CardTitle>Drift summary</CardTitle>
        {i.driftSummary !== null ? (
          <DriftSummary summary={i.driftSummary} />
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Not retained: see the banner above.
          </p>
        )}
        {i.purgeable && canPurge ? <PurgePayload orgId={i.org.id} incidentId={i.id} /> : null}
      </Card>

      <Card>
        <CardTitle>Approvals</CardTitle>
        {i.approvals.length > 0 || !i.approvalsPurged ? (
          <DataTable
            flush
            caption="Approvals of lifecycle actions"
            columns={approvalColumns}
            data={i.approvals}
            empty="No approvals were requested."
          />
        ) : null}
        <PurgeNote note={i.approvalsPurged} noun={APPROVALS} testId="approvals-purged" />
      </Card>
    </div>
  );
}

/** A dry run of purging this one payload: the preview shows whether its window has passed. */
function PurgePayload({ orgId, incidentId }: { orgId: number; incidentId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const purge = useMutation(
    trpc.purge.preview.mutationOptions({
      onSuccess: ({ planId }) => router.push(`/purge/${planId}`),
    }),
  );
  return (
    <div className="mt-4 border-t border-zinc-200 pt-3 dark:border-zinc-800">
      <Button
        variant="secondary"
        disabled={purge.isPending}
        onClick={() =>
          purge.mutate({
            orgIds: [orgId],
            categories: ["INCIDENT_PAYLOADS"],
            only: { category: "INCIDENT_PAYLOADS", ids: [incidentId] },
          })
        }
      >
        Dry run: purge this payload
      </Button>
      <p className="mt-1 text-xs text-zinc-500">
        Only if its retention window has passed; the dry run shows whether it has.
      </p>
      <FormAlert message={purge.error?.message} />
    </div>
  );
}
