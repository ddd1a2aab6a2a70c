"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { QueryBoundary } from "../ui/query-boundary";
import { HeldOutOrgs } from "./held-out";
import { PlanClosed } from "./plan-closed";
import { PlanConfirm } from "./plan-confirm";
import { PlanEntries } from "./plan-entries";
import { PlanGuardrails } from "./plan-guardrails";
import { PlanSummary } from "./plan-summary";
import { PlanningProgress } from "./planning-progress";
import { RunProgress } from "./run-progress";

const PAGE_SIZE = 20;

/** A previewed plan: what it would delete and why; Confirm (operators) runs exactly that. */
export function PlanPreview({ planId }: { planId: string }) {
  const trpc = useTRPC();
  const canConfirm = useCan("OPERATOR");
  const [page, setPage] = useState(1);
  const [expiredNow, setExpiredNow] = useState(false);
  const [confirmedRun, setConfirmedRun] = useState<string | null>(null);
  const plan = useQuery(trpc.purge.plan.queryOptions({ planId, page, pageSize: PAGE_SIZE }));
  return (
    <QueryBoundary
      query={plan}
      loading="Loading the preview…"
      error="The preview could not be loaded"
    >
      {(p) => {
        if (p.status === "PLANNING") return <PlanningProgress plan={p} />;
        // A cancelled dry run found nothing worth showing: only what became of it.
        if (p.cancelled) return <PlanClosed plan={p} />;
        const closed = p.status === "EXPIRED" || p.status === "DISCARDED" || expiredNow;
        const runId = confirmedRun ?? p.runId;
        const guarded = p.guardrails.reasons.length > 0;
        return (
          <div className="flex flex-col gap-6">
            <PlanSummary
              plan={p}
              confirmed={Boolean(runId)}
              closed={closed}
              onExpire={() => setExpiredNow(true)}
            />
            <HeldOutOrgs heldOut={p.heldOut} what="preview" />
            {guarded ? (
              <PlanGuardrails
                guardrails={p.guardrails}
                confirmed={Boolean(runId)}
                bySchedule={p.trigger === "CRON"}
              />
            ) : null}
            <PlanEntries
              plan={p}
              paging={{
                page,
                pageSize: PAGE_SIZE,
                total: p.entryCount,
                onPage: setPage,
                label: "Plan entries",
              }}
            />
            {runId ? (
              <RunProgress runId={runId} />
            ) : closed ? (
              <PlanClosed plan={p} />
            ) : canConfirm && p.trigger !== "ERASURE" ? (
              <PlanConfirm plan={p} guarded={guarded} onConfirmed={setConfirmedRun} />
            ) : (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                {p.trigger === "ERASURE"
                  ? "A GDPR erasure starts when a second admin approves it."
                  : "Only operators and admins confirm purges."}
              </p>
            )}
          </div>
        );
      }}
    </QueryBoundary>
  );
}
