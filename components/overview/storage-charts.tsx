"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { StackedBarChart } from "../charts/lazy";
import { PLAN_COLORS } from "../charts/palette";
import { formatBytes } from "../format";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { QueryBoundary } from "../ui/query-boundary";

type Storage = inferRouterOutputs<AppRouter>["overview"]["storage"];

/** Stored bytes by category and by plan, from the latest snapshot. */
export function StorageCharts() {
  const trpc = useTRPC();
  const query = useQuery(trpc.overview.storage.queryOptions());
  return (
    <QueryBoundary
      query={query}
      loading="Loading storage charts…"
      error="Storage charts could not be loaded"
    >
      {(storage) => <Charts data={storage} />}
    </QueryBoundary>
  );
}

function Charts({ data }: { data: Storage }) {
  const byCategory = data.byCategory.map((c) => ({
    name: CATEGORY_LABELS[c.category],
    bytes: Number(c.bytes),
  }));
  const byPlan = data.byPlan.map((p) => ({ name: p.plan, ...{ [p.plan]: Number(p.bytes) } }));
  return (
    <div className="mb-6 grid gap-4 lg:grid-cols-2">
      <Card>
        <CardTitle>Storage by category</CardTitle>
        <StackedBarChart
          data={byCategory}
          xKey="name"
          layout="vertical"
          series={[{ key: "bytes", label: "Stored", color: "#0284c7" }]}
          label="Stored bytes by category"
          format={formatBytes}
          height={360}
        />
      </Card>
      <Card>
        <CardTitle>Storage by plan</CardTitle>
        <StackedBarChart
          data={byPlan}
          xKey="name"
          series={data.byPlan.map((p) => ({
            key: p.plan,
            label: p.plan,
            color: PLAN_COLORS[p.plan],
          }))}
          label="Stored bytes by plan"
          format={formatBytes}
          height={360}
        />
      </Card>
      <p className="sr-only">
        {data.byCategory
          .map((c) => `${CATEGORY_LABELS[c.category]}: ${formatBytes(c.bytes)}`)
          .join("; ")}
      </p>
    </div>
  );
}
