"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { CardTitle } from "../ui/card";
import { OrgHistoryLink } from "../orgs/history-link";
import { column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { QueryBoundary } from "../ui/query-boundary";

type OrgRow = inferRouterOutputs<AppRouter>["orgs"]["list"]["orgs"][number];

const columns: ColumnDef<OrgRow, unknown>[] = [
  { header: "Organization", accessorKey: "name" },
  { header: "Plan", accessorKey: "plan", cell: ({ row }) => <Badge>{row.original.plan}</Badge> },
  {
    header: "Legal hold",
    id: "hold",
    cell: ({ row }) =>
      row.original.onHold ? (
        <Badge tone="warn">On hold</Badge>
      ) : (
        <span className="text-zinc-400">—</span>
      ),
  },
  figureColumn("Items", "items", (o) => formatCount(o.items)),
  figureColumn("Stored", "bytes", (o) => formatBytes(o.bytes)),
  column("Retention history", "history", (o) => <OrgHistoryLink orgId={o.id} orgName={o.name} />),
];

export function OrgTable() {
  const trpc = useTRPC();
  const query = useQuery(trpc.orgs.list.queryOptions({ page: 1, pageSize: 50 }));
  return (
    <section aria-labelledby="orgs-heading">
      <CardTitle>
        <span id="orgs-heading">Organizations</span>
      </CardTitle>
      <QueryBoundary
        query={query}
        loading="Loading organizations…"
        error="Organizations could not be loaded"
      >
        {(data) => (
          <DataTable
            caption="Organizations with their plan and what they store"
            columns={columns}
            data={data.orgs}
            empty="No organizations yet."
          />
        )}
      </QueryBoundary>
    </section>
  );
}
