"use client";

import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatCount } from "../format";
import { Card, CardTitle } from "../ui/card";
import { column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { errorColumn, longestBatchColumn, tallyColumns } from "./tally-columns";
import { TaskStatusBadge } from "./task-status-badge";

type Row = inferRouterOutputs<AppRouter>["purge"]["runDetail"]["sweeps"][number];

const columns: ColumnDef<Row, unknown>[] = [
  column("Category", "category", (r) => CATEGORY_LABELS[r.category]),
  column("Status", "status", (r) => <TaskStatusBadge status={r.status} />),
  figureColumn("Worked", "settled", (r) => `${Math.floor(r.settled * 100)}%`),
  ...tallyColumns<Row>(),
  figureColumn("Batches", "batches", (r) => formatCount(r.batches)),
  longestBatchColumn<Row>(),
  errorColumn<Row>(),
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
