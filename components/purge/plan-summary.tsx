"use client";

import type { inferRouterOutputs } from "@trpc/server";
import { describeScope } from "@/server/retention/erasure/scope";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDateTime } from "../format";
import { Card } from "../ui/card";
import { previewActions } from "./actions";
import { Countdown } from "./countdown";
import { DiscardPreview, useMayDiscard } from "./discard-preview";

type Plan = inferRouterOutputs<AppRouter>["purge"]["plan"];

/** The plan's totals, what it was computed for, and where it stands. */
export function PlanSummary(props: {
  plan: Plan;
  confirmed: boolean;
  closed: boolean;
  onExpire: () => void;
}) {
  const { plan: p, confirmed, closed } = props;
  const mayDiscard = useMayDiscard(p.createdById);
  const open = !confirmed && !closed;
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <Card>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Would purge</p>
        <p className="text-2xl font-semibold tabular-nums" data-testid="plan-items">
          {formatCount(p.itemCount)} items
        </p>
        {p.actions ? (
          <p className="text-sm font-medium" data-testid="plan-actions">
            {previewActions(p.actions)}
          </p>
        ) : null}
        <p className="text-sm" data-testid="plan-bytes">
          {formatBytes(p.bytes)}
        </p>
        {p.undo ? <Undo undo={p.undo} /> : null}
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
            <span data-testid="plan-created-by">preview by {p.createdBy}</span>
          )}
        </p>
      </Card>
      <Card>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Status</p>
        <p className="text-sm font-medium" data-testid="plan-status">
          {confirmed
            ? "confirmed"
            : p.status === "DISCARDED"
              ? "discarded"
              : closed
                ? "expired"
                : "previewed"}{" "}
          {open ? <Countdown until={p.expiresAt} onExpire={props.onExpire} /> : null}
        </p>
        {open && mayDiscard ? (
          <div className="mt-2">
            <DiscardPreview planId={p.id} />
          </div>
        ) : null}
        <p className="mt-1 truncate font-mono text-xs" title={p.manifestHash}>
          manifest {p.manifestHash.slice(0, 16)}…
        </p>
      </Card>
    </div>
  );
}

/** Before confirming: what an admin can still restore after the run, and what is gone at once. */
function Undo({ undo }: { undo: NonNullable<Plan["undo"]> }) {
  const parts = [
    undo.restorable > 0n
      ? `${formatCount(undo.restorable)} restorable for ${undo.longestDays === 1 ? "1 day" : `up to ${undo.longestDays} days`} after the run`
      : null,
    undo.final > 0n ? `${formatCount(undo.final)} deleted for good at once` : null,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400" data-testid="plan-undo">
      {parts.join(" · ")}
    </p>
  );
}
