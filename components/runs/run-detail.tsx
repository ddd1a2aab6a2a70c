"use client";

import { useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { describeScope } from "@/server/retention/erasure/scope";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatCount } from "../format";
import { OrgHistoryLink } from "../orgs/history-link";
import { RunProgress } from "../purge/run-progress";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Card, CardTitle } from "../ui/card";
import { column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { FilterBar, usePagedFilters, type FilterControl } from "../ui/filter-bar";
import { QueryBoundary } from "../ui/query-boundary";
import { HeldOutOrgs } from "../purge/held-out";
import { describeRunScope } from "./run-scope";
import { RunRestore } from "./run-restore";
import { RunSweeps } from "./run-sweeps";
import { errorColumn, longestBatchColumn, tallyColumns } from "./tally-columns";
import { TaskStatusBadge } from "./task-status-badge";

type Task = inferRouterOutputs<AppRouter>["purge"]["runDetail"]["tasks"][number];

const columns: ColumnDef<Task, unknown>[] = [
  column("Organization", "org", (t) => (
    <>
      {t.orgName} <Badge>{t.plan}</Badge> <OrgHistoryLink orgId={t.orgId} orgName={t.orgName} />
    </>
  )),
  column("Category", "category", (t) => CATEGORY_LABELS[t.category]),
  column("Status", "status", (t) => <TaskStatusBadge status={t.status} />),
  figureColumn("Eligible", "eligible", (t) => formatCount(t.eligible)),
  ...tallyColumns<Task>(),
  longestBatchColumn<Task>(),
  errorColumn<Task>(),
];

const CONTROLS: FilterControl<{ onlyProblems: boolean }>[] = [
  { key: "onlyProblems", kind: "checkbox", label: "Only skipped, failed or errored" },
];

/** What the guard weighed a daily run's volumes against, in words; nothing to weigh against says so. */
function guardBasisText(g: { earlierRuns: number; forecast: boolean }) {
  if (g.earlierRuns === 0)
    return g.forecast
      ? "The guard weighed each task's volume against the forecast: there was no earlier daily run."
      : "The guard had nothing to weigh this daily run against (no earlier daily run, no forecast before it): it could pause no task for its volume, only for a shrunk window.";
  const runs =
    g.earlierRuns === 1 ? "the one earlier daily run" : `the ${g.earlierRuns} earlier daily runs`;
  return `The guard weighed each task's volume against ${runs}${g.forecast ? " (against the forecast, for an org and category with less history)" : ""}.`;
}

/** Why a run the guard paused tasks of is PARTIAL: "2 tasks await review". */
const awaitingReview = (n: number) => `${n} ${n === 1 ? "task awaits" : "tasks await"} review`;

/** The erasure request's outcome, which says what a legal hold kept (never in the run's plan). */
function erasureOutcome(e: {
  status: string;
  incompleteReason: string | null;
  carriedOn: boolean;
}) {
  if (e.carriedOn)
    return "this run left some of it: the request was approved again, to a later run";
  if (e.status === "INCOMPLETE") return `incomplete: ${e.incompleteReason ?? "see the request"}`;
  if (e.status === "EXECUTED") return "executed: everything in its scope was erased";
  if (e.status === "REJECTED") return "rejected after this run: what it left is kept";
  return "in progress";
}

/** One run: progress and result, per org × category counts and errors, manifest downloads. */
export function RunDetail({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const { asked, bar, paging } = usePagedFilters({ onlyProblems: false }, 50);
  const detail = useQuery({
    ...trpc.purge.runDetail.queryOptions({ runId, ...asked }),
    refetchInterval: (q) => (q.state.data?.progress.status === "RUNNING" ? 2000 : false),
  });
  return (
    <div className="flex flex-col gap-6">
      {detail.data ? (
        <p className="text-sm" data-testid="run-started-by">
          Started by {detail.data.startedBy}
          {detail.data.scope ? ` · ${describeRunScope(detail.data.scope)}` : null} ·{" "}
          <Link
            className="text-sky-700 underline dark:text-sky-400"
            href={`/purge/${detail.data.progress.planId}`}
          >
            the dry run it carries out
          </Link>
        </p>
      ) : null}
      {detail.data ? <HeldOutOrgs heldOut={detail.data.heldOut} what="run" /> : null}
      {detail.data?.guard ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="run-guard-basis">
          {guardBasisText(detail.data.guard)}
        </p>
      ) : null}
      <RunProgress runId={runId} showLink={false} />
      {detail.data && detail.data.progress.tasks.awaitingReview > 0 ? (
        <p className="text-sm" data-testid="run-awaiting-review">
          {awaitingReview(detail.data.progress.tasks.awaitingReview)}:{" "}
          <Link className="text-sky-700 underline dark:text-sky-400" href="/review">
            review them
          </Link>
          .
        </p>
      ) : null}
      {detail.data?.erasure ? (
        <p className="text-sm" data-testid="run-erasure">
          <Link className="underline underline-offset-2" href="/erasure">
            GDPR erasure #{detail.data.erasure.id}
          </Link>{" "}
          · {describeScope(detail.data.erasure.scope)} · {erasureOutcome(detail.data.erasure)}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-3">
        {(["json", "csv"] as const).map((format) => (
          <a
            key={format}
            href={`/api/runs/${runId}/manifest?format=${format}`}
            download
            className="inline-flex h-9 items-center gap-2 rounded-md border border-zinc-300 px-3 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            <Download aria-hidden className="size-4" />
            Manifest ({format.toUpperCase()})
          </a>
        ))}
      </div>
      <RunRestore runId={runId} running={detail.data?.progress.status === "RUNNING"} />
      {detail.data ? <RunSweeps sweeps={detail.data.sweeps} /> : null}
      <Card>
        <CardTitle action={<FilterBar bare {...bar} controls={CONTROLS} />}>
          By organization and category
        </CardTitle>
        <QueryBoundary query={detail} error="The run's tasks could not be loaded">
          {(data) => (
            <DataTable
              flush
              caption="Counts per organization and category"
              columns={columns}
              data={data.tasks}
              paging={paging(data.taskCount, "Run tasks")}
            />
          )}
        </QueryBoundary>
      </Card>
    </div>
  );
}
