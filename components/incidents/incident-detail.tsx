"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Archive, Lock } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { formatDate, formatDateTime } from "../format";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { ErrorBlock, FormAlert, LoadingBlock } from "../ui/states";
import { DriftSummary } from "./drift-summary";
import { IncidentStatusBadge } from "./status-badge";

/** An incident with everything that survives its payload's purge. */
export function IncidentDetail({ id }: { id: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const canPurge = useCan("OPERATOR");
  const query = useQuery(trpc.incidents.get.queryOptions({ id }));
  const purge = useMutation(
    trpc.purge.preview.mutationOptions({
      onSuccess: ({ planId }) => router.push(`/purge/${planId}`),
    }),
  );
  if (query.isPending) return <LoadingBlock label="Loading the incident…" />;
  if (query.isError) return <ErrorBlock title="The incident could not be loaded" query={query} />;
  const i = query.data;
  return (
    <div className="flex flex-col gap-6">
      <h2 className="-mt-4 text-lg">{i.title}</h2>
      <div className="flex flex-wrap items-center gap-3">
        <IncidentStatusBadge status={i.status} />
        <span className="text-sm">
          {i.org.name} <Badge>{i.org.plan}</Badge>
        </span>
        <span className="text-sm">
          Environment{" "}
          <Link
            className="text-sky-700 underline dark:text-sky-400"
            href={`/environments?q=${encodeURIComponent(i.org.name)}`}
          >
            {i.environment.name}
          </Link>
        </span>
      </div>

      {i.payloadPurgedAt ? (
        <div
          role="status"
          data-testid="purged-banner"
          className="flex gap-3 rounded-lg border border-zinc-300 bg-zinc-100 p-4 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          <Archive aria-hidden className="mt-0.5 size-4 shrink-0" />
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
          </div>
        </div>
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
        {i.purgeable && canPurge ? (
          <div className="mt-4 border-t border-zinc-200 pt-3 dark:border-zinc-800">
            <Button
              variant="secondary"
              disabled={purge.isPending}
              onClick={() =>
                purge.mutate({
                  orgIds: [i.org.id],
                  categories: ["INCIDENT_PAYLOADS"],
                  only: { category: "INCIDENT_PAYLOADS", ids: [i.id] },
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
        ) : null}
      </Card>

      <Card>
        <CardTitle>Approvals</CardTitle>
        {i.approvals.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No approvals were requested.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Approvals of lifecycle actions</caption>
            <thead className="text-xs text-zinc-600 uppercase dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-1">
                  Action
                </th>
                <th scope="col">Decision</th>
                <th scope="col">Requested by</th>
                <th scope="col">Decided</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {i.approvals.map((a) => (
                <tr key={a.id}>
                  <td className="py-1">{a.action.toLowerCase()}</td>
                  <td>
                    <Badge
                      tone={
                        a.status === "APPROVED"
                          ? "good"
                          : a.status === "REJECTED"
                            ? "bad"
                            : "neutral"
                      }
                    >
                      {a.status.toLowerCase()}
                    </Badge>
                  </td>
                  <td>{a.requestedBy}</td>
                  <td>{a.decidedAt ? `${formatDate(a.decidedAt)} by ${a.decidedBy}` : "—"}</td>
                  <td>{a.note ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
