"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { describeScope } from "@/server/retention/erasure/scope";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDateTime } from "../format";
import { RunProgress } from "../purge/run-progress";
import { useTRPC } from "../trpc/client";
import { Badge, type Tone } from "../ui/badge";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { QueryBoundary } from "../ui/query-boundary";
import { FormAlert } from "../ui/states";

type Request = inferRouterOutputs<AppRouter>["erasure"]["list"][number];

/** Open requests call for a decision; an executed one erased data for good. */
const STATUS_TONE: Record<string, Tone> = {
  PENDING: "warn",
  INCOMPLETE: "warn",
  REJECTED: "neutral",
  APPROVED: "info",
  EXECUTED: "bad",
};

/**
 * The second admin's decision: preview first, then approve by typing the
 * org's name (an erasure is final: no restore window), or reject at any
 * point before.
 */
function Decide({
  requestId,
  orgName,
  orgHoldId,
}: {
  requestId: number;
  orgName: string;
  orgHoldId: number | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [planId, setPlanId] = useState<string | null>(null);
  const [typed, setTyped] = useState("");
  const preview = useMutation(
    trpc.erasure.preview.mutationOptions({ onSuccess: (r) => setPlanId(r.planId) }),
  );
  const plan = useQuery({
    ...trpc.purge.plan.queryOptions({ planId: planId ?? "", page: 1, pageSize: 5 }),
    enabled: Boolean(planId),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.erasure.list.queryKey() });
  const approve = useMutation(trpc.erasure.approve.mutationOptions({ onSuccess: refresh }));
  const reject = useMutation(trpc.erasure.reject.mutationOptions({ onSuccess: refresh }));
  const error = preview.error ?? approve.error ?? reject.error;
  return (
    <div className="mt-2 flex flex-col gap-2">
      <div className="flex gap-2">
        {!planId && orgHoldId === null ? (
          <Button
            size="sm"
            variant="secondary"
            disabled={preview.isPending}
            onClick={() => preview.mutate({ requestId })}
          >
            Preview erasure
          </Button>
        ) : null}
        <Button
          size="sm"
          variant="ghost"
          disabled={reject.isPending || approve.isPending}
          onClick={() => reject.mutate({ requestId })}
        >
          Reject
        </Button>
      </div>
      {planId ? (
        <QueryBoundary query={plan} error="The erasure preview could not be loaded">
          {(p) => (
            <div
              className="rounded border border-red-200 p-3 text-sm dark:border-red-900"
              data-testid="erasure-preview"
            >
              <p>
                Will erase <strong>{formatCount(p.itemCount)}</strong>{" "}
                {p.itemCount === 1n ? "artifact" : "artifacts"} ({formatBytes(p.bytes)}) and their
                objects, regardless of age and plan. Items under legal hold are kept.
              </p>
              {p.erasure ? <p>Scope: {describeScope(p.erasure.scope)}</p> : null}
              {p.erasure?.keptByHold ? (
                <p className="mt-1 text-amber-700 dark:text-amber-400" data-testid="erasure-kept">
                  {p.erasure.keptByHold === 1
                    ? "1 of its artifacts is under a legal hold of its own and is kept"
                    : `${formatCount(p.erasure.keptByHold)} of its artifacts are under a legal hold of their own and are kept`}
                  : the request will end incomplete, to be approved again once the hold is released.
                </p>
              ) : null}
              {p.erasure?.takesPinned ? (
                <p className="mt-1 text-amber-700 dark:text-amber-400" data-testid="erasure-pinned">
                  {p.erasure.takesPinned === 1
                    ? "1 of its artifacts is pinned"
                    : `${formatCount(p.erasure.takesPinned)} of its artifacts are pinned`}
                  : the erasure takes them anyway and ends their pins (only a legal hold keeps an
                  item from an erasure).
                </p>
              ) : null}
              <ErasureSample entries={p.entries} />
              <p className="mt-1">
                It is final: erased artifacts get no restore window. This preview can be approved
                until {formatDateTime(p.expiresAt)}.
              </p>
              <div className="mt-2 flex flex-wrap items-end gap-2">
                <TextField
                  id={`erasure-confirm-${requestId}`}
                  label={`Type ${orgName} to approve`}
                  value={typed}
                  onChange={setTyped}
                  autoComplete="off"
                />
                <Button
                  size="sm"
                  variant="danger"
                  disabled={approve.isPending || typed.trim() !== orgName}
                  onClick={() => approve.mutate({ requestId, planId })}
                >
                  Approve and erase
                </Button>
              </div>
            </div>
          )}
        </QueryBoundary>
      ) : null}
      <FormAlert message={error?.message} />
    </div>
  );
}

type PlanEntries = inferRouterOutputs<AppRouter>["purge"]["plan"]["entries"];

/** A few of the artifacts the erasure takes, by id, as the preview sampled them. */
function ErasureSample({ entries }: { entries: PlanEntries }) {
  const sample = entries.flatMap((e) => e.sample).slice(0, 5);
  if (sample.length === 0) return null;
  return (
    <p className="mt-1" data-testid="erasure-sample">
      Among them:{" "}
      {sample
        .map((s) => (s.itemId !== null ? `artifact #${s.itemId}` : (s.objectKey ?? "")))
        .join(", ")}
      .
    </p>
  );
}

/** One request: its scope and story, and what a second admin may do with it. */
export function ErasureRequest({ request: r, mine }: { request: Request; mine: boolean }) {
  return (
    <li className="py-3 text-sm" data-testid="erasure-request">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">#{r.id}</span>
        <Badge tone={STATUS_TONE[r.status]}>{r.status.toLowerCase()}</Badge>
        <span>
          {r.orgName} · <span data-testid="erasure-scope">{describeScope(r.scope)}</span>
        </span>
      </div>
      <p className="text-zinc-600 dark:text-zinc-400">
        {r.reason} — requested by {r.requestedBy} {formatDateTime(r.requestedAt)}
        {r.decidedBy
          ? `; decided by ${r.decidedBy} ${r.decidedAt ? formatDateTime(r.decidedAt) : ""}`
          : ""}
      </p>
      {r.status === "INCOMPLETE" ? (
        <p className="mt-1" data-testid="erasure-incomplete">
          <strong>Not everything was erased:</strong> {r.incompleteReason}. Preview and approve it
          again to erase the rest, or reject it.
        </p>
      ) : null}
      {r.orgHoldId !== null ? (
        <p className="mt-1 text-amber-700 dark:text-amber-400" data-testid="erasure-held">
          {r.orgName} is under legal hold #{r.orgHoldId}: a hold stops every purge, GDPR erasure
          included. Nothing can be previewed or erased until it is released (Policies → Legal
          holds).
        </p>
      ) : null}
      {r.status === "PENDING" || r.status === "INCOMPLETE" ? (
        mine ? (
          <p className="mt-1 text-amber-700 dark:text-amber-400">
            Waiting for a second admin to approve.
          </p>
        ) : (
          <Decide requestId={r.id} orgName={r.orgName} orgHoldId={r.orgHoldId} />
        )
      ) : null}
      {r.status !== "PENDING" && r.runId ? (
        <div className="mt-2">
          <RunProgress runId={r.runId} />
        </div>
      ) : null}
    </li>
  );
}
