"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { formatDateTime } from "../format";
import { useTRPC } from "../trpc/client";
import { column } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { FilterBar, usePagedFilters, type FilterControl } from "../ui/filter-bar";
import { QueryBoundary } from "../ui/query-boundary";
import { AuditDetails, AuditTarget } from "./audit-cells";
import { ChainCheck } from "./chain-check";

type Filters = { action: string; actor: string; orgId: string };
type Entry = inferRouterOutputs<AppRouter>["audit"]["list"]["entries"][number];

const columns: ColumnDef<Entry, unknown>[] = [
  column("#", "id", (e) => e.id, { className: "font-mono text-xs" }),
  column("When", "at", (e) => formatDateTime(e.at)),
  column("Actor", "actor", (e) => e.actor),
  column("Action", "action", (e) => e.action, { className: "font-medium" }),
  column("Org", "org", (e) => e.orgId ?? "—"),
  column("Target", "target", (e) => <AuditTarget target={e.target} />, {
    className: "font-mono text-xs",
  }),
  column("Counts", "details", (e) => <AuditDetails details={e.details} />, {
    wrap: true,
    className: "max-w-md font-mono text-xs",
  }),
];

const CONTROLS: FilterControl<Filters>[] = [
  {
    key: "action",
    kind: "search",
    label: "Action starts with",
    placeholder: "e.g. purge. or hold.",
  },
  { key: "actor", kind: "search", label: "Actor", placeholder: "system or user:12" },
  { key: "orgId", kind: "search", label: "Organization id", numeric: true, width: "w-28" },
];

/** The append-only audit log, filterable, with a check of its hash chain. */
export function AuditView() {
  const trpc = useTRPC();
  const { filters, asked, bar, paging } = usePagedFilters<Filters>(
    { action: "", actor: "", orgId: "" },
    50,
  );
  const orgId = Number(filters.orgId) > 0 ? Number(filters.orgId) : undefined;
  const query = useQuery(trpc.audit.list.queryOptions({ ...asked, orgId }));
  return (
    <>
      <FilterBar {...bar} controls={CONTROLS} actions={<ChainCheck />} />
      <QueryBoundary
        query={query}
        loading="Loading the audit log…"
        error="The audit log could not be loaded"
      >
        {(data) => (
          <DataTable
            caption="Audit log, newest first"
            columns={columns}
            data={data.entries}
            paging={paging(data.total, "Audit log")}
          />
        )}
      </QueryBoundary>
    </>
  );
}
