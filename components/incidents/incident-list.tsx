"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useRouter } from "next/navigation";
import type { AppRouter } from "@/server/trpc/root";
import { formatDate } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { column } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { anyOf } from "../ui/field";
import { FilterBar, usePagedFilters, type FilterControl } from "../ui/filter-bar";
import { QueryBoundary } from "../ui/query-boundary";
import { IncidentStatusBadge } from "./status-badge";

type Row = inferRouterOutputs<AppRouter>["incidents"]["list"]["incidents"][number];
type Filters = {
  status: "OPEN" | "CLOSED" | "";
  payload: "PRESENT" | "PURGED" | "";
  search: string;
};

const columns: ColumnDef<Row, unknown>[] = [
  column("Incident", "title", (i) => `#${i.id} ${i.title}`),
  column("Status", "status", (i) => <IncidentStatusBadge status={i.status} />),
  column("Organization", "org", (i) => (
    <>
      {i.orgName} <Badge>{i.plan}</Badge>
    </>
  )),
  column("Environment", "environment", (i) => i.environment),
  column("Opened", "opened", (i) => formatDate(i.detectedAt)),
  column("Closed", "closed", (i) => (i.closedAt ? formatDate(i.closedAt) : "—")),
  column("Payload", "payload", (i) =>
    i.payloadPurgedAt ? (
      <Badge tone="neutral">purged {formatDate(i.payloadPurgedAt)}</Badge>
    ) : (
      <Badge tone="good">retained</Badge>
    ),
  ),
];

const CONTROLS: FilterControl<Filters>[] = [
  {
    key: "status",
    kind: "select",
    label: "Status",
    options: anyOf(["OPEN", "CLOSED"], { any: "All" }),
  },
  {
    key: "payload",
    kind: "select",
    label: "Payload",
    options: anyOf(["PRESENT", "PURGED"], { labels: { PRESENT: "Retained" } }),
  },
  { key: "search", kind: "search", label: "Search", placeholder: "Title or organization" },
];

export function IncidentList() {
  const trpc = useTRPC();
  const router = useRouter();
  const { asked, bar, paging } = usePagedFilters<Filters>(
    { status: "", payload: "", search: "" },
    25,
  );
  const query = useQuery(trpc.incidents.list.queryOptions(asked));
  return (
    <>
      <FilterBar {...bar} controls={CONTROLS} />
      <QueryBoundary
        query={query}
        loading="Loading incidents…"
        error="Incidents could not be loaded"
      >
        {(data) => (
          <DataTable
            caption="Incidents"
            columns={columns}
            data={data.incidents}
            empty="No incidents match."
            onRowClick={(r) => router.push(`/incidents/${r.id}`)}
            rowLabel={(r) => `Open incident ${r.id}: ${r.title}`}
            paging={paging(data.total, "Incidents")}
          />
        )}
      </QueryBoundary>
    </>
  );
}
