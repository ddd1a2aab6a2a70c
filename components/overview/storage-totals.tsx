"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDate } from "../format";
import { useTRPC } from "../trpc/client";
import { Stat } from "../ui/card";
import { QueryBoundary } from "../ui/query-boundary";

type Storage = inferRouterOutputs<AppRouter>["overview"]["storage"];

export function StorageTotals() {
  const trpc = useTRPC();
  const query = useQuery(trpc.overview.storage.queryOptions());
  return (
    <QueryBoundary
      query={query}
      loading="Loading storage totals…"
      error="Storage totals could not be loaded"
    >
      {(storage) => <Totals data={storage} />}
    </QueryBoundary>
  );
}

function Totals({ data }: { data: Storage }) {
  const orgCount = data.orgs.reduce((sum, p) => sum + p.count, 0);
  const asOf = data.day ? `as of ${formatDate(data.day)}` : "no snapshot yet";
  const largest = [...data.byCategory].sort((a, b) => Number(b.bytes - a.bytes))[0];
  return (
    <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <Stat
        label="Organizations"
        value={<span data-testid="total-orgs">{formatCount(orgCount)}</span>}
        hint={data.orgs.map((p) => `${p.plan} ${p.count}`).join(" · ")}
      />
      <Stat
        label="Stored items"
        value={<span data-testid="total-items">{formatCount(data.totalItems)}</span>}
        hint={asOf}
      />
      <Stat
        label="Stored bytes"
        value={<span data-testid="total-bytes">{formatBytes(data.totalBytes)}</span>}
        hint={asOf}
      />
      <Stat
        label="Largest category"
        value={
          <span data-testid="largest-category">
            {largest ? CATEGORY_LABELS[largest.category] : "—"}
          </span>
        }
        hint={largest ? `${formatBytes(largest.bytes)} · ${asOf}` : asOf}
      />
    </div>
  );
}
