"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Card, CardTitle } from "../ui/card";
import { DataTable } from "../ui/data-table";
import { QueryBoundary } from "../ui/query-boundary";

type Row = inferRouterOutputs<AppRouter>["policies"]["table"]["categories"][number];

const days = (d: number | null | undefined) =>
  d === undefined ? "—" : d === null ? "∞" : `${d} d`;

/** Category and what ages it, then one column per plan with its window there. */
function policyColumns(plans: Row["plans"][number]["plan"][]): ColumnDef<Row, unknown>[] {
  return [
    {
      header: "Category",
      id: "category",
      meta: { rowHeader: true },
      cell: ({ row }) => <CategoryName label={row.original.label} detail={row.original.action} />,
    },
    {
      header: "Ages by",
      accessorKey: "agedBy",
      meta: { className: "text-zinc-600 dark:text-zinc-400" },
    },
    ...plans.map((plan): ColumnDef<Row, unknown> => ({
      header: plan,
      id: plan,
      meta: { figure: true },
      cell: ({ row }) => {
        const p = row.original.plans.find((w) => w.plan === plan);
        return (
          <span data-testid={`window-${row.original.category}-${plan}`}>
            {days(p?.days)} {p?.source === "env" ? <Badge tone="info">env</Badge> : null}
          </span>
        );
      },
    })),
  ];
}

function CategoryName({ label, detail }: { label: string; detail: string }) {
  return (
    <>
      {label}
      <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">{detail}</span>
    </>
  );
}

/** The plan × category table of effective windows; values the environment changed are marked. */
export function PolicyTable() {
  const trpc = useTRPC();
  const query = useQuery(trpc.policies.table.queryOptions());
  return (
    <QueryBoundary query={query} loading="Loading policies…" error="Policies could not be loaded">
      {(table) => (
        <Card className="mb-6">
          <CardTitle>Retention windows by plan</CardTitle>
          <DataTable
            flush
            caption="Effective retention window per category and plan; ∞ never purged, — the plan has no such data"
            columns={policyColumns(table.categories[0]?.plans.map((p) => p.plan) ?? [])}
            data={table.categories}
            summary={{
              header: (
                <CategoryName label="Database backups" detail="newest kept per environment" />
              ),
              note: (
                <span className="text-zinc-600 dark:text-zinc-400">
                  {Object.entries(table.backupKeep)
                    .map(([env, n]) => `${env} ${n}`)
                    .join(" · ")}
                </span>
              ),
            }}
          />
          <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
            Plan windows are Lethe&apos;s defaults unless the deployment sets RETENTION_DAYS_*
            environment variables; an org override moves one org&apos;s window inside the bounds its
            plan sets.
          </p>
        </Card>
      )}
    </QueryBoundary>
  );
}
