"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef, SortingState } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import type { AppRouter } from "@/server/trpc/root";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { formatBytes, formatCount } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { DataTable } from "../ui/data-table";
import { Pagination } from "../ui/pagination";
import { ErrorBlock, LoadingBlock } from "../ui/states";
import { listInput, PAGE_SIZE, pollWhileRefreshing, type DeletionFilters } from "./filters";
import { WhenWhyDialog } from "./when-why-dialog";

type Row = inferRouterOutputs<AppRouter>["deletions"]["list"]["rows"][number];

const columns: ColumnDef<Row, unknown>[] = [
  { id: "org", header: "Organization", accessorKey: "orgName" },
  {
    id: "plan",
    header: "Plan",
    enableSorting: false,
    cell: ({ row }) => <Badge>{row.original.plan}</Badge>,
  },
  {
    id: "category",
    header: "Category",
    enableSorting: false,
    cell: ({ row }) => CATEGORY_LABELS[row.original.category],
  },
  {
    id: "items",
    header: "Items",
    cell: ({ row }) => <span className="tabular-nums">{formatCount(row.original.items)}</span>,
  },
  {
    id: "bytes",
    header: "Bytes",
    cell: ({ row }) => <span className="tabular-nums">{formatBytes(row.original.bytes)}</span>,
  },
  { id: "firstDay", header: "First due", cell: ({ row }) => row.original.firstDay },
  {
    id: "lastDay",
    header: "Last due",
    enableSorting: false,
    cell: ({ row }) => row.original.lastDay,
  },
];

export function UpcomingTable({
  filters,
  onChange,
}: {
  filters: DeletionFilters;
  onChange: (next: Partial<DeletionFilters>) => void;
}) {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.deletions.list.queryOptions(listInput(filters)),
    refetchInterval: pollWhileRefreshing,
  });
  const [open, setOpen] = useState<Row | null>(null);
  const sorting: SortingState = [{ id: filters.sort.by, desc: filters.sort.desc }];
  if (query.isPending) return <LoadingBlock label="Loading upcoming deletions…" />;
  if (query.isError)
    return <ErrorBlock title="Upcoming deletions could not be loaded" query={query} />;
  return (
    <section aria-label="Upcoming deletions by organization and category">
      <DataTable
        caption="Upcoming deletions by organization and category"
        columns={columns}
        data={query.data.rows}
        empty="Nothing falls due with these filters."
        sorting={sorting}
        onSortingChange={(updater) => {
          const next = typeof updater === "function" ? updater(sorting) : updater;
          const first = next[0];
          if (first)
            onChange({
              sort: { by: first.id as DeletionFilters["sort"]["by"], desc: first.desc },
              page: 1,
            });
        }}
        onRowClick={setOpen}
        rowLabel={(r) => `When and why: ${CATEGORY_LABELS[r.category]} of ${r.orgName}`}
      />
      <Pagination
        page={filters.page}
        pageSize={PAGE_SIZE}
        total={query.data.total}
        onPage={(page) => onChange({ page })}
        label="Upcoming deletions"
      />
      {open ? (
        <WhenWhyDialog
          open
          onOpenChange={(o) => !o && setOpen(null)}
          orgId={open.orgId}
          orgName={open.orgName}
          category={open.category}
          horizonDays={filters.horizonDays}
        />
      ) : null}
    </section>
  );
}
