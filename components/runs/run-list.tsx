"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { PurgeTrigger, RunStatus } from "@/server/generated/prisma/enums";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDateTime, formatDuration } from "../format";
import { useTRPC } from "../trpc/client";
import { column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { anyOf } from "../ui/field";
import { FilterBar, usePagedFilters, type FilterControl } from "../ui/filter-bar";
import { QueryBoundary } from "../ui/query-boundary";
import { describeRunScope, TRIGGER_LABELS } from "./run-scope";
import { RunStatusBadge } from "./run-status-badge";

type Row = inferRouterOutputs<AppRouter>["purge"]["runs"]["runs"][number];

const columns: ColumnDef<Row, unknown>[] = [
  column("Started", "started", (r) => formatDateTime(r.startedAt)),
  column("Started by", "startedBy", (r) => r.startedBy),
  column(
    "Covered",
    "scope",
    (r) =>
      `${r.trigger === "ERASURE" ? "GDPR erasure: " : ""}${r.scope ? describeRunScope(r.scope) : "—"}`,
    {
      wrap: true,
      className: "min-w-48 max-w-xs",
    },
  ),
  column("Status", "status", (r) => (
    <span className="whitespace-nowrap">
      <RunStatusBadge status={r.status} />
      {r.status !== "RUNNING" && r.skipped > 0n ? (
        <>
          ,{" "}
          <Link
            href={`/runs/${r.id}#skipped`}
            onClick={(e) => e.stopPropagation()}
            className="underline underline-offset-2"
            title="Why they were skipped"
          >
            {formatCount(r.skipped)} skipped
          </Link>
        </>
      ) : null}
    </span>
  )),
  figureColumn(
    () => <span title="Deleted, or archived for prompts (the run's page counts each)">Purged</span>,
    "deleted",
    (r) => formatCount(r.deleted),
  ),
  figureColumn("Skipped", "skipped", (r) => formatCount(r.skipped)),
  figureColumn("Failed", "failed", (r) => formatCount(r.failed)),
  figureColumn("Bytes freed", "bytes", (r) => formatBytes(r.bytesFreed)),
  figureColumn("Duration", "duration", (r) => formatDuration(r.durationMs)),
];

type Filters = { trigger: PurgeTrigger | ""; status: RunStatus | "" };

const CONTROLS: FilterControl<Filters>[] = [
  {
    key: "trigger",
    kind: "select",
    label: "Started from",
    options: anyOf(Object.values(PurgeTrigger), { labels: TRIGGER_LABELS }),
  },
  { key: "status", kind: "select", label: "Status", options: anyOf(Object.values(RunStatus)) },
];

export function RunList() {
  const trpc = useTRPC();
  const router = useRouter();
  const { asked, bar, paging } = usePagedFilters<Filters>({ trigger: "", status: "" }, 25);
  const query = useQuery({
    ...trpc.purge.runs.queryOptions(asked),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === "RUNNING") ? 2000 : false),
  });
  return (
    <>
      <FilterBar {...bar} controls={CONTROLS} />
      <QueryBoundary
        query={query}
        loading="Loading purge runs…"
        error="Purge runs could not be loaded"
      >
        {(data) => (
          <DataTable
            caption="Purge runs, newest first"
            columns={columns}
            data={data.runs}
            empty="No purge has run yet. The daily purge runs at 04:00 UTC; operators can purge from Dry run & purge."
            onRowClick={(r) => router.push(`/runs/${r.id}`)}
            rowLabel={(r) => `Open run started ${formatDateTime(r.startedAt)}`}
            paging={paging(data.total, "Purge runs")}
          />
        )}
      </QueryBoundary>
    </>
  );
}
