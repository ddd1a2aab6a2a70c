"use client";

import { useQuery } from "@tanstack/react-query";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { StackedBarChart } from "../charts/lazy";
import { PLAN_COLORS } from "../charts/palette";
import { formatBytes } from "../format";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { ErrorBlock, LoadingBlock } from "../ui/states";

/** Stored bytes by category and by plan, from the latest snapshot. */
export function StorageCharts() {
  const trpc = useTRPC();
  const query = useQuery(trpc.overview.storage.queryOptions());
  if (query.isPending) return <LoadingBlock label="Loading storage charts…" />;
  if (query.isError) return <ErrorBlock title="Storage charts could not be loaded" query={query} />;
  const byCategory = query.data.byCategory.map((c) => ({
    name: CATEGORY_LABELS[c.category],
    bytes: Number(c.bytes),
  }));
  const byPlan = query.data.byPlan.map((p) => ({ name: p.plan, ...{ [p.plan]: Number(p.bytes) } }));
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
          series={query.data.byPlan.map((p) => ({
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
        {query.data.byCategory
          .map((c) => `${CATEGORY_LABELS[c.category]}: ${formatBytes(c.bytes)}`)
          .join("; ")}
      </p>
    </div>
  );
}
