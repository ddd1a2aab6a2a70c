"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import type { AppRouter } from "@/server/trpc/root";
import { formatDate } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { DataTable } from "../ui/data-table";
import { Field, Input, Select } from "../ui/field";
import { Pagination } from "../ui/pagination";
import { ErrorBlock, LoadingBlock } from "../ui/states";
import { IncidentStatusBadge } from "./status-badge";

type Row = inferRouterOutputs<AppRouter>["incidents"]["list"]["incidents"][number];
type Status = "OPEN" | "CLOSED" | "";
type Payload = "PRESENT" | "PURGED" | "";

const columns: ColumnDef<Row, unknown>[] = [
  {
    header: "Incident",
    id: "title",
    cell: ({ row }) => (
      <span>
        #{row.original.id} {row.original.title}
      </span>
    ),
  },
  {
    header: "Status",
    id: "status",
    cell: ({ row }) => <IncidentStatusBadge status={row.original.status} />,
  },
  {
    header: "Organization",
    id: "org",
    cell: ({ row }) => (
      <span>
        {row.original.orgName} <Badge>{row.original.plan}</Badge>
      </span>
    ),
  },
  { header: "Environment", accessorKey: "environment" },
  { header: "Opened", id: "opened", cell: ({ row }) => formatDate(row.original.detectedAt) },
  {
    header: "Closed",
    id: "closed",
    cell: ({ row }) => (row.original.closedAt ? formatDate(row.original.closedAt) : "—"),
  },
  {
    header: "Payload",
    id: "payload",
    cell: ({ row }) =>
      row.original.payloadPurgedAt ? (
        <Badge tone="neutral">purged {formatDate(row.original.payloadPurgedAt)}</Badge>
      ) : (
        <Badge tone="good">retained</Badge>
      ),
  },
];

export function IncidentList() {
  const trpc = useTRPC();
  const router = useRouter();
  const [status, setStatus] = useState<Status>("");
  const [payload, setPayload] = useState<Payload>("");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const deferred = useDeferredValue(search);
  const input = {
    status: status || undefined,
    payload: payload || undefined,
    search: deferred || undefined,
    page,
    pageSize: 25,
  };
  const query = useQuery(trpc.incidents.list.queryOptions(input));
  return (
    <>
      <Card className="mb-4">
        <div className="flex flex-wrap items-end gap-3">
          <Field id="incident-status" label="Status">
            <Select
              id="incident-status"
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as Status);
                setPage(1);
              }}
            >
              <option value="">All</option>
              <option value="OPEN">Open</option>
              <option value="CLOSED">Closed</option>
            </Select>
          </Field>
          <Field id="incident-payload" label="Payload">
            <Select
              id="incident-payload"
              value={payload}
              onChange={(e) => {
                setPayload(e.target.value as Payload);
                setPage(1);
              }}
            >
              <option value="">Any</option>
              <option value="PRESENT">Retained</option>
              <option value="PURGED">Purged</option>
            </Select>
          </Field>
          <Field id="incident-search" label="Search">
            <Input
              id="incident-search"
              placeholder="Title or organization"
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                setPage(1);
              }}
            />
          </Field>
        </div>
      </Card>
      {query.isPending ? (
        <LoadingBlock label="Loading incidents…" />
      ) : query.isError ? (
        <ErrorBlock title="Incidents could not be loaded" query={query} />
      ) : (
        <>
          <DataTable
            caption="Incidents"
            columns={columns}
            data={query.data.incidents}
            empty="No incidents match."
            onRowClick={(r) => router.push(`/incidents/${r.id}`)}
            rowLabel={(r) => `Open incident ${r.id}: ${r.title}`}
          />
          <Pagination
            page={page}
            pageSize={25}
            total={query.data.total}
            onPage={setPage}
            label="Incidents"
          />
        </>
      )}
    </>
  );
}
