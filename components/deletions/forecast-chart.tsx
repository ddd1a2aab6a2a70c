"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { StackedBarChart } from "../charts/lazy";
import { CATEGORY_COLORS } from "../charts/palette";
import { formatBytes, formatCount, formatDateTime } from "../format";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { Segmented } from "../ui/segmented";
import { ErrorBlock, LoadingBlock } from "../ui/states";
import { forecastInput, pollWhileRefreshing, type DeletionFilters } from "./filters";

/** Items or bytes falling due per day, stacked by category. Day one also holds what is already due. */
export function ForecastChart({ filters }: { filters: DeletionFilters }) {
  const trpc = useTRPC();
  const [measure, setMeasure] = useState<"items" | "bytes">("items");
  const query = useQuery({
    ...trpc.deletions.forecast.queryOptions(forecastInput(filters)),
    refetchInterval: pollWhileRefreshing,
  });
  if (query.isPending) return <LoadingBlock label="Loading the forecast…" />;
  if (query.isError) return <ErrorBlock title="The forecast could not be loaded" query={query} />;
  const days = new Map<string, Record<string, string | number>>();
  const categories = new Set<RetentionCategory>();
  const { asOf, refreshing, days: due } = query.data;
  for (const d of due) {
    categories.add(d.category);
    const row = days.get(d.day) ?? { day: d.day.slice(5) };
    row[d.category] = measure === "items" ? d.items : Number(d.bytes);
    days.set(d.day, row);
  }
  const totalItems = due.reduce((n, d) => n + d.items, 0);
  const totalBytes = due.reduce((n, d) => n + d.bytes, 0n);
  return (
    <Card className="mb-6">
      <CardTitle
        action={
          <Segmented
            label="Measure"
            value={measure}
            onChange={setMeasure}
            options={[
              { value: "items", label: "Items" },
              { value: "bytes", label: "Bytes" },
            ]}
          />
        }
      >
        Due per day, next {filters.horizonDays} days
      </CardTitle>
      <p className="mb-2 text-sm">
        <span data-testid="chart-total-items">{formatCount(totalItems)}</span> items ·{" "}
        {formatBytes(totalBytes)} in the chart
      </p>
      {due.length === 0 ? (
        <p className="py-10 text-center text-sm text-zinc-500">
          Nothing falls due with these filters.
        </p>
      ) : (
        <StackedBarChart
          data={[...days.values()]}
          xKey="day"
          series={[...categories].map((c) => ({
            key: c,
            label: CATEGORY_LABELS[c],
            color: CATEGORY_COLORS[c],
          }))}
          label={`Deletions due per day over ${filters.horizonDays} days`}
          format={measure === "items" ? formatCount : formatBytes}
        />
      )}
      <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
        Forecast as of <span data-testid="forecast-as-of">{formatDateTime(asOf)}</span>
        {refreshing ? " (a newer one is being computed)" : ""}. Orphan objects are found by listing
        the bucket at purge time and are not forecast.
      </p>
    </Card>
  );
}
