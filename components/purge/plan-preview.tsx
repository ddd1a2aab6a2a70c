"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { useState } from "react";
import { describeScope } from "@/server/retention/erasure/scope";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { formatBytes, formatCount, formatDate, formatDateTime } from "../format";
import { useCan, useUser } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { Field, Input } from "../ui/field";
import { Pagination } from "../ui/pagination";
import { ErrorBlock, LoadingBlock } from "../ui/states";
import { Countdown } from "./countdown";
import { DiscardPreview } from "./discard-preview";
import { PlanClosed } from "./plan-closed";
import { RunProgress } from "./run-progress";

const PAGE_SIZE = 20;

/** A previewed plan: what it would delete and why; Confirm (operators) runs exactly that. */
export function PlanPreview({ planId }: { planId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canConfirm = useCan("OPERATOR");
  const me = useUser();
  const [page, setPage] = useState(1);
  const [phrase, setPhrase] = useState("");
  const [expiredNow, setExpiredNow] = useState(false);
  const plan = useQuery(trpc.purge.plan.queryOptions({ planId, page, pageSize: PAGE_SIZE }));
  const confirm = useMutation(
    trpc.purge.confirm.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.purge.plan.queryKey() }),
    }),
  );
  if (plan.isPending) return <LoadingBlock label="Loading the preview…" />;
  if (plan.isError) return <ErrorBlock title="The preview could not be loaded" query={plan} />;
  const p = plan.data;
  const closed = p.status === "EXPIRED" || p.status === "DISCARDED" || expiredNow;
  const runId = confirm.data?.runId ?? p.runId;
  const guarded = p.guardrails.reasons.length > 0;

  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-4 sm:grid-cols-3">
        <Card>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Would delete</p>
          <p className="text-2xl font-semibold tabular-nums" data-testid="plan-items">
            {formatCount(p.itemCount)} items
          </p>
          <p className="text-sm" data-testid="plan-bytes">
            {formatBytes(p.bytes)}
          </p>
        </Card>
        <Card>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Computed</p>
          <p className="text-sm">as of {formatDateTime(p.asOf)}</p>
          <p className="mt-1 text-sm">
            {p.erasure ? (
              <>
                GDPR erasure #{p.erasure.id} ·{" "}
                <span data-testid="erasure-scope">{describeScope(p.erasure.scope)}</span>
              </>
            ) : (
              `${p.trigger.toLowerCase()} preview`
            )}
          </p>
        </Card>
        <Card>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Status</p>
          <p className="text-sm font-medium" data-testid="plan-status">
            {runId
              ? "confirmed"
              : p.status === "DISCARDED"
                ? "discarded"
                : closed
                  ? "expired"
                  : "previewed"}{" "}
            {!runId && !closed ? (
              <Countdown until={p.expiresAt} onExpire={() => setExpiredNow(true)} />
            ) : null}
          </p>
          {!runId && !closed && p.createdById === me.id ? (
            <div className="mt-2">
              <DiscardPreview planId={p.id} />
            </div>
          ) : null}
          <p className="mt-1 truncate font-mono text-xs" title={p.manifestHash}>
            manifest {p.manifestHash.slice(0, 16)}…
          </p>
        </Card>
      </div>

      {guarded ? (
        <div
          role={runId ? "note" : "alert"}
          className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" />
          <div>
            <p className="font-semibold">
              {runId
                ? "This purge was confirmed a second time, because:"
                : "This purge needs a second confirmation."}
            </p>
            <ul className="mt-1 list-disc pl-5">
              {p.guardrails.reasons.map((r, i) => (
                <li key={i}>
                  {r.kind === "whole-fleet"
                    ? "It covers every organization and every category."
                    : `It takes ${Math.round(r.share * 100)}% of ${r.orgName}'s ${CATEGORY_LABELS[r.category].toLowerCase()}.`}
                </li>
              ))}
              {p.guardrails.moreShares ? (
                <li>
                  Another {formatCount(p.guardrails.moreShares)} organization × category entries
                  pass the same share (the largest are listed above).
                </li>
              ) : null}
            </ul>
          </div>
        </div>
      ) : null}

      <Card>
        <CardTitle>By organization and category</CardTitle>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">
              What the plan would delete per organization and category, with a sample and reasons
            </caption>
            <thead className="text-xs text-zinc-600 uppercase dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2">
                  Organization
                </th>
                <th scope="col">Category</th>
                <th scope="col" className="text-right">
                  Items
                </th>
                <th scope="col" className="text-right">
                  Bytes
                </th>
                <th scope="col" className="text-right">
                  Share
                </th>
                <th scope="col" className="pl-4">
                  Cutoff
                </th>
                <th scope="col">Sample and reasons</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 align-top dark:divide-zinc-800">
              {p.entries.map((e) => (
                <tr key={`${e.orgId}-${e.category}`} data-testid="plan-entry">
                  <td className="py-2">
                    {e.orgName} {e.plan ? <Badge>{e.plan}</Badge> : null}
                  </td>
                  <td>{CATEGORY_LABELS[e.category]}</td>
                  <td className="text-right tabular-nums">{formatCount(e.itemCount)}</td>
                  <td className="text-right tabular-nums">{formatBytes(e.bytes)}</td>
                  <td className="text-right tabular-nums">
                    {Math.round((e.itemCount / Math.max(1, e.totalItems)) * 100)}%
                  </td>
                  <td className="pl-4">
                    {e.cutoff ? formatDate(e.cutoff) : e.windowDays === null ? "—" : ""}
                  </td>
                  <td>
                    <details>
                      <summary className="cursor-pointer">
                        {e.sample.length} of {formatCount(e.itemCount)}
                      </summary>
                      <ul className="mt-1 space-y-1">
                        {e.sample.map((s) => (
                          <li key={s.itemId ?? s.objectKey}>
                            <span className="font-mono">
                              {s.itemId ? `#${s.itemId}` : s.objectKey}
                            </span>{" "}
                            — {s.reason}
                          </li>
                        ))}
                      </ul>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {p.manifestRemovedAt ? (
          <p className="py-6 text-center text-sm text-zinc-500">
            This preview&apos;s entries and items were deleted when it{" "}
            {p.status === "DISCARDED" ? "was discarded" : "expired"}.
          </p>
        ) : p.entryCount === 0 ? (
          <p className="py-6 text-center text-sm text-zinc-500">
            Nothing in this scope is eligible now.
          </p>
        ) : null}
        <Pagination
          page={page}
          pageSize={PAGE_SIZE}
          total={p.entryCount}
          onPage={setPage}
          label="Plan entries"
        />
      </Card>

      {runId ? (
        <RunProgress runId={runId} />
      ) : closed ? (
        <PlanClosed plan={p} />
      ) : canConfirm && p.trigger !== "ERASURE" ? (
        <Card>
          <CardTitle>Confirm</CardTitle>
          <p className="mb-3 text-sm">
            Confirming deletes exactly the items above, under the same cutoffs; anything that
            changed since (a new hold, a reopened incident) is skipped and reported.
          </p>
          {guarded ? (
            <Field
              id="confirm-phrase"
              label={`Type "${p.guardrails.confirmPhrase}" to confirm`}
              className="mb-3 max-w-sm"
            >
              <Input
                id="confirm-phrase"
                value={phrase}
                onChange={(e) => setPhrase(e.target.value)}
                autoComplete="off"
              />
            </Field>
          ) : null}
          {confirm.isError ? (
            <p role="alert" className="mb-2 text-sm text-red-700 dark:text-red-400">
              {confirm.error.message}
            </p>
          ) : null}
          <Button
            variant="danger"
            disabled={
              confirm.isPending ||
              p.itemCount === 0n ||
              (guarded && phrase.trim() !== p.guardrails.confirmPhrase)
            }
            onClick={() =>
              confirm.mutate({ planId: p.id, acknowledgement: guarded ? phrase : null })
            }
          >
            {confirm.isPending
              ? "Starting…"
              : `Confirm and delete ${formatCount(p.itemCount)} items`}
          </Button>
        </Card>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {p.trigger === "ERASURE"
            ? "A GDPR erasure starts when a second admin approves it."
            : "Only operators and admins confirm purges."}
        </p>
      )}
    </div>
  );
}
