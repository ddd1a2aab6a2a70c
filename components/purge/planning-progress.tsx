"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useEffect } from "react";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDateTime, formatTimeLeft } from "../format";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { Figures } from "../ui/figures";
import { ProgressBar } from "../ui/progress";
import { QueryBoundary } from "../ui/query-boundary";
import { DiscardPreview, useMayDiscard } from "./discard-preview";

type Plan = inferRouterOutputs<AppRouter>["purge"]["plan"];
type Progress = inferRouterOutputs<AppRouter>["purge"]["planning"];

/** How often a page asks a planning dry run how far it got. */
export const PLANNING_POLL_MS = 1000;

/** The share of a dry run's planning steps done: what its progress bar fills. */
export const planningDone = (p: Pick<Progress, "stepsDone" | "stepsTotal">) =>
  p.stepsDone / Math.max(1, p.stepsTotal);

/**
 * A dry run being planned in the background: how far it got, polled until
 * it is complete (or cancelled); then the page shows what it became.
 */
export function PlanningProgress({ plan }: { plan: Plan }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mayCancel = useMayDiscard(plan.createdById);
  const progress = useQuery({
    ...trpc.purge.planning.queryOptions({ planId: plan.id }),
    refetchInterval: (q) =>
      !q.state.data || q.state.data.status === "PLANNING" ? PLANNING_POLL_MS : false,
  });
  const planning = !progress.data || progress.data.status === "PLANNING";
  useEffect(() => {
    if (planning) return;
    void queryClient.invalidateQueries({ queryKey: trpc.purge.plan.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.purge.openPreviews.queryKey() });
  }, [planning, queryClient, trpc]);
  return (
    <Card data-testid="planning">
      <CardTitle action={mayCancel ? <DiscardPreview planId={plan.id} planning /> : null}>
        Planning the dry run
      </CardTitle>
      <p className="mb-3 text-sm">
        Started {formatDateTime(plan.createdAt)} by {plan.createdBy}. It is planned in steps in the
        background: you can leave this page and come back to it (Dry run &amp; purge → Your open
        previews). The 15 minutes to confirm it start when it is complete.
      </p>
      <QueryBoundary
        query={progress}
        loading="Asking how far it got…"
        error="Its progress could not be loaded"
      >
        {(p) => <PlanningFigures progress={p} />}
      </QueryBoundary>
    </Card>
  );
}

/** The bar and its figures: orgs and categories planned, items found so far, time left. */
function PlanningFigures({ progress: p }: { progress: Progress }) {
  const figures = [
    {
      label: "Organizations planned",
      value: `${formatCount(p.orgsPlanned)} of ${formatCount(p.orgCount)}`,
      testId: "planning-orgs",
    },
    {
      label: "Categories planned",
      value: `${formatCount(p.categoriesPlanned)} of ${formatCount(p.categoryCount)}`,
      testId: "planning-categories",
    },
    {
      label: "Items found so far",
      value: `${formatCount(p.items)} (${formatBytes(p.bytes)})`,
      testId: "planning-items",
    },
    { label: "Time left", value: formatTimeLeft(p.etaSeconds), testId: "planning-time-left" },
  ];
  return (
    <div>
      <ProgressBar value={planningDone(p)} label="Planning steps done" />
      <Figures figures={figures} />
    </div>
  );
}
