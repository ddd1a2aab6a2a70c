"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { PurgeTrigger, RunStatus } from "@/server/generated/prisma/enums";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDateTime, formatDuration } from "../format";
import { useTRPC } from "../trpc/client";
import { Card } from "../ui/card";
import { DataTable } from "../ui/data-table";
import { Field, Select } from "../ui/field";
import { Pagination } from "../ui/pagination";
import { ErrorBlock, LoadingBlock } from "../ui/states";
import { RunStatusBadge } from "./run-status-badge";

type Row = inferRouterOutputs<AppRouter>["purge"]["runs"]["runs"][number];

const columns: ColumnDef<Row, unknown>[] = [
  { header: "Started", id: "started", cell: ({ row }) => formatDateTime(row.original.startedAt) },
  {
    header: "Trigger",
    id: "trigger",
    cell: ({ row }) =>
      row.original.trigger === "CRON" ? "cron" : row.original.trigger.toLowerCase(),
  },
  {
    header: "Status",
    id: "status",
    cell: ({ row }) => <RunStatusBadge status={row.original.status} />,
  },
  {
    header: "Deleted",
    id: "deleted",
    cell: ({ row }) => <span className="tabular-nums">{formatCount(row.original.deleted)}</span>,
  },
  {
    header: "Skipped",
    id: "skipped",
    cell: ({ row }) => <span className="tabular-nums">{formatCount(row.original.skipped)}</span>,
  },
  {
    header: "Failed",
    id: "failed",
    cell: ({ row }) => <span className="tabular-nums">{formatCount(row.original.failed)}</span>,
  },
  {
    header: "Bytes freed",
    id: "bytes",
    cell: ({ row }) => <span className="tabular-nums">{formatBytes(row.original.bytesFreed)}</span>,
  },
  {
    header: "Duration",
    id: "duration",
    cell: ({ row }) => formatDuration(row.original.durationMs),
  },
];

export function RunList() {
  const trpc = useTRPC();
  const router = useRouter();
  const [trigger, setTrigger] = useState<PurgeTrigger | "">("");
  const [status, setStatus] = useState<RunStatus | "">("");
  const [page, setPage] = useState(1);
  const query = useQuery({
    ...trpc.purge.runs.queryOptions({
      trigger: trigger || undefined,
      status: status || undefined,
      page,
      pageSize: 25,
    }),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === "RUNNING") ? 2000 : false),
  });
  return (
    <>
      <Card className="mb-4">
        <div className="flex flex-wrap gap-3">
          <Field id="run-trigger" label="Trigger">
            <Select
              id="run-trigger"
              value={trigger}
              onChange={(e) => {
                setTrigger(e.target.value as PurgeTrigger | "");
                setPage(1);
              }}
            >
              <option value="">Any</option>
              <option value="CRON">Cron</option>
              <option value="OPERATOR">Operator</option>
              <option value="API">API</option>
              <option value="ERASURE">Erasure</option>
            </Select>
          </Field>
          <Field id="run-status" label="Status">
            <Select
              id="run-status"
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as RunStatus | "");
                setPage(1);
              }}
            >
              <option value="">Any</option>
              <option value="RUNNING">Running</option>
              <option value="SUCCEEDED">Succeeded</option>
              <option value="PARTIAL">Partial</option>
              <option value="FAILED">Failed</option>
            </Select>
          </Field>
        </div>
      </Card>
      {query.isPending ? (
        <LoadingBlock label="Loading purge runs…" />
      ) : query.isError ? (
        <ErrorBlock title="Purge runs could not be loaded" query={query} />
      ) : (
        <>
          <DataTable
            caption="Purge runs, newest first"
            columns={columns}
            data={query.data.runs}
            empty="No purge has run yet. The daily purge runs at 04:00 UTC; operators can purge from Dry run & purge."
            onRowClick={(r) => router.push(`/runs/${r.id}`)}
            rowLabel={(r) => `Open run started ${formatDateTime(r.startedAt)}`}
          />
          <Pagination
            page={page}
            pageSize={25}
            total={query.data.total}
            onPage={setPage}
            label="Purge runs"
          />
        </>
      )}
    </>
  );
}
