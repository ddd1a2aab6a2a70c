"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { StackedBarChart } from "../charts/lazy";
import { CATEGORY_COLORS } from "../charts/palette";
import { formatBytes, formatCount, formatDateTime } from "../format";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { Segmented } from "../ui/segmented";
import { QueryBoundary } from "../ui/query-boundary";
import { forecastInput, pollWhileRefreshing, type DeletionFilters } from "./filters";

type Forecast = inferRouterOutputs<AppRouter>["deletions"]["forecast"];
type Measure = "items" | "bytes";

/** Items or bytes falling due per day, stacked by category. Day one also holds what is already due. */
export function ForecastChart({ filters }: { filters: DeletionFilters }) {
  const trpc = useTRPC();
  const [measure, setMeasure] = useState<Measure>("items");
  const query = useQuery({
    ...trpc.deletions.forecast.queryOptions(forecastInput(filters)),
    refetchInterval: pollWhileRefreshing,
  });
  return (
    <QueryBoundary
      query={query}
      loading="Loading the forecast…"
      error="The forecast could not be loaded"
    >
      {(forecast) => (
        <DueChart
          forecast={forecast}
          horizonDays={filters.horizonDays}
          measure={measure}
          onMeasure={setMeasure}
        />
      )}
    </QueryBoundary>
  );
}

function DueChart({
  forecast,
  horizonDays,
  measure,
  onMeasure,
}: {
  forecast: Forecast;
  horizonDays: number;
  measure: Measure;
  onMeasure: (measure: Measure) => void;
}) {
  const days = new Map<string, Record<string, string | number>>();
  const categories = new Set<RetentionCategory>();
  const { asOf, amendedAt, refreshing, days: due } = forecast;
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
            onChange={onMeasure}
            options={[
              { value: "items", label: "Items" },
              { value: "bytes", label: "Bytes" },
            ]}
          />
        }
      >
        Due per day, next {horizonDays} days
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
          label={`Deletions due per day over ${horizonDays} days`}
          format={measure === "items" ? formatCount : formatBytes}
        />
      )}
      <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
        Forecast as of <span data-testid="forecast-as-of">{formatDateTime(asOf)}</span>
        {amendedAt ? (
          <>
            , with runs, overrides and legal holds up to{" "}
            <span data-testid="forecast-amended-at">{formatDateTime(amendedAt)}</span>
          </>
        ) : null}
        {refreshing ? " (a newer one is being computed)" : ""}. Orphan objects are found by listing
        the bucket at purge time and are not forecast.
      </p>
    </Card>
  );
}
