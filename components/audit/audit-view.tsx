"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import type { AppRouter } from "@/server/trpc/root";
import { formatDateTime } from "../format";
import { OrgSelect } from "../orgs/org-select";
import { useTRPC } from "../trpc/client";
import { column } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { Field } from "../ui/field";
import { UnusedFilters } from "../ui/unused-filters";
import { FilterBar, type FilterControl } from "../ui/filter-bar";
import { QueryBoundary } from "../ui/query-boundary";
import { AuditDetails, AuditTarget } from "./audit-cells";
import {
  AUDIT_PAGE_SIZE,
  auditListInput,
  auditSearchParams,
  parseAuditFilters,
  readAuditFilters,
  type AuditFilters,
} from "./audit-filters";
import { describeAuditEntry } from "./audit-sentence";
import { ChainCheck } from "./chain-check";

type Entry = inferRouterOutputs<AppRouter>["audit"]["list"]["entries"][number];

const columns: ColumnDef<Entry, unknown>[] = [
  column("#", "id", (e) => e.id, { className: "font-mono text-xs" }),
  column("When", "at", (e) => formatDateTime(e.at)),
  column("Actor", "actor", (e) => <span title={e.actor}>{e.actorLabel}</span>),
  column("Action", "action", (e) => e.action, { className: "font-medium" }),
  column("Org", "org", (e) =>
    e.orgId ? (
      <Link href={`/audit?org=${e.orgId}`} className="underline underline-offset-2">
        {e.orgName}
      </Link>
    ) : (
      "—"
    ),
  ),
  column("Target", "target", (e) => <AuditTarget target={e.target} />, {
    className: "font-mono text-xs",
  }),
  column(
    "What",
    "details",
    (e) => {
      const sentence = describeAuditEntry(e);
      return sentence ? (
        <span title={JSON.stringify(e.details)}>{sentence}</span>
      ) : (
        <AuditDetails details={e.details} />
      );
    },
    { wrap: true, className: "max-w-md text-xs" },
  ),
];

type Bar = Omit<AuditFilters, "org">;

/** The append-only audit log, filtered in the address (org, actor, action, period), with a check of its hash chain. */
export function AuditView() {
  const trpc = useTRPC();
  const pathname = usePathname();
  const { filters, unused } = readAuditFilters(new URLSearchParams(useSearchParams().toString()));
  // Merged with the address bar, not this render's params, so quick changes all stick.
  const update = (next: Partial<AuditFilters>) => {
    const current = parseAuditFilters(new URLSearchParams(window.location.search));
    const merged = { ...current, page: 1, ...next };
    window.history.replaceState(null, "", `${pathname}?${auditSearchParams(merged).toString()}`);
  };
  const actors = useQuery(trpc.audit.actors.queryOptions());
  const query = useQuery(trpc.audit.list.queryOptions(auditListInput(filters)));
  const controls: FilterControl<Omit<Bar, "page">>[] = [
    {
      key: "action",
      kind: "search",
      label: "Action starts with",
      placeholder: "e.g. purge. or hold.",
    },
    {
      key: "actor",
      kind: "select",
      label: "Actor",
      options: [{ value: null, label: "Anyone" }, ...(actors.data ?? [])],
    },
    { key: "from", kind: "date", label: "From" },
    { key: "to", kind: "date", label: "To" },
  ];
  return (
    <>
      <UnusedFilters unused={unused} />
      <FilterBar<Bar>
        filters={filters}
        onChange={update}
        controls={controls}
        actions={
          <>
            <Field id="filter-org" label="Organization">
              <OrgSelect id="filter-org" value={filters.org} onChange={(org) => update({ org })} />
            </Field>
            <ChainCheck />
          </>
        }
      />
      <QueryBoundary
        query={query}
        loading="Loading the audit log…"
        error="The audit log could not be loaded"
      >
        {(data) => (
          <>
            {data.orgName ? (
              <p className="mb-2 text-sm" data-testid="audit-org">
                Entries that concern {data.orgName}: its own, and those of the runs that worked it.
              </p>
            ) : null}
            <DataTable
              caption="Audit log, newest first"
              columns={columns}
              data={data.entries}
              paging={{
                page: filters.page,
                pageSize: AUDIT_PAGE_SIZE,
                total: data.total,
                onPage: (page) => update({ page }),
                label: "Audit log",
              }}
            />
          </>
        )}
      </QueryBoundary>
    </>
  );
}
