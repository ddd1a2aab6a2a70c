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
import { column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { QueryBoundary } from "../ui/query-boundary";
import { listInput, PAGE_SIZE, pollWhileRefreshing, type DeletionFilters } from "./filters";
import { WhenWhyDialog } from "./when-why-dialog";

type Row = inferRouterOutputs<AppRouter>["deletions"]["list"]["rows"][number];

/** Only a column with an accessor offers its sort to the user. */
const columns: ColumnDef<Row, unknown>[] = [
  { id: "org", header: "Organization", accessorKey: "orgName" },
  column("Plan", "plan", (r) => <Badge>{r.plan}</Badge>),
  column("Category", "category", (r) => CATEGORY_LABELS[r.category]),
  figureColumn("Items", "items", (r) => formatCount(r.items)),
  figureColumn("Bytes", "bytes", (r) => formatBytes(r.bytes)),
  column("First due", "firstDay", (r) => r.firstDay),
  column("Last due", "lastDay", (r) => r.lastDay),
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
  return (
    <QueryBoundary
      query={query}
      loading="Loading upcoming deletions…"
      error="Upcoming deletions could not be loaded"
    >
      {(data) => (
        <section aria-label="Upcoming deletions by organization and category">
          <DataTable
            caption="Upcoming deletions by organization and category"
            columns={columns}
            data={data.rows}
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
            paging={{
              page: filters.page,
              pageSize: PAGE_SIZE,
              total: data.total,
              onPage: (page) => onChange({ page }),
              label: "Upcoming deletions",
            }}
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
      )}
    </QueryBoundary>
  );
}
