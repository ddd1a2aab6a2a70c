"use client";

import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDuration } from "../format";
import { Card, CardTitle } from "../ui/card";
import { DataTable } from "../ui/data-table";
import { TaskStatusBadge } from "./task-status-badge";

type Row = inferRouterOutputs<AppRouter>["purge"]["runDetail"]["sweeps"][number];

const count = (value: (r: Row) => number) => ({
  cell: ({ row }: { row: { original: Row } }) => (
    <span className="tabular-nums">{formatCount(value(row.original))}</span>
  ),
});

const columns: ColumnDef<Row, unknown>[] = [
  { header: "Category", id: "category", cell: ({ row }) => CATEGORY_LABELS[row.original.category] },
  {
    header: "Status",
    id: "status",
    cell: ({ row }) => <TaskStatusBadge status={row.original.status} />,
  },
  {
    header: "Worked",
    id: "settled",
    cell: ({ row }) => (
      <span className="tabular-nums">{Math.floor(row.original.settled * 100)}%</span>
    ),
  },
  { header: "Deleted", id: "deleted", ...count((r) => r.deleted) },
  { header: "Skipped", id: "skipped", ...count((r) => r.skipped) },
  { header: "Failed", id: "failed", ...count((r) => r.failed) },
  {
    header: "Bytes freed",
    id: "bytes",
    cell: ({ row }) => <span className="tabular-nums">{formatBytes(row.original.bytesFreed)}</span>,
  },
  { header: "Batches", id: "batches", ...count((r) => r.batches) },
  {
    header: "Longest batch",
    id: "longest",
    cell: ({ row }) =>
      row.original.batches > 0 ? formatDuration(row.original.longestBatchMs) : "—",
  },
  {
    header: "Error",
    id: "error",
    cell: ({ row }) => (
      <span
        className="block max-w-xs truncate text-red-800 dark:text-red-300"
        title={row.original.lastError ?? undefined}
      >
        {row.original.lastError ?? ""}
      </span>
    ),
  },
];

/**
 * A run's sweeps: drift checks are purged in the order they were written,
 * across organizations, a stretch of the manifest at a time. Shown only
 * for a run that has them.
 */
export function RunSweeps({ sweeps }: { sweeps: Row[] }) {
  if (sweeps.length === 0) return null;
  return (
    <Card>
      <CardTitle>Sweeps</CardTitle>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        Drift checks are purged in the order they were written, across organizations, one stretch of
        the run&apos;s manifest at a time. Each organization&apos;s counts and manifest batches
        below are written when a stretch ends.
      </p>
      <DataTable columns={columns} data={sweeps} caption="The run's sweeps" />
    </Card>
  );
}
