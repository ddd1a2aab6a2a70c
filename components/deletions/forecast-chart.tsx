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
import { chartDays, forecastInput, pollWhileRefreshing, type DeletionFilters } from "./filters";
import { OverdueBacklog } from "./overdue-backlog";

type Forecast = inferRouterOutputs<AppRouter>["deletions"]["forecast"];
type Measure = "items" | "bytes";

/**
 * Items or bytes falling due per day after today, stacked by category, with
 * the overdue backlog (due today or earlier) apart above it.
 */
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
          range={{ from: filters.from, to: filters.to }}
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
  range,
  measure,
  onMeasure,
}: {
  forecast: Forecast;
  horizonDays: number;
  range: { from: string | null; to: string | null };
  measure: Measure;
  onMeasure: (measure: Measure) => void;
}) {
  const days = new Map<string, Record<string, string | number>>();
  const categories = new Set<RetentionCategory>();
  const { asOf, amendedAt, refreshing, backlog, days: flow } = forecast;
  const span = chartDays(new Date(asOf), horizonDays, range);
  for (const day of span.days) days.set(day, { day: day.slice(5) });
  const perDay = new Map<string, number>();
  for (const d of flow) {
    categories.add(d.category);
    const row = days.get(d.day) ?? { day: d.day.slice(5) };
    row[d.category] = measure === "items" ? d.items : Number(d.bytes);
    days.set(d.day, row);
    perDay.set(d.day, (perDay.get(d.day) ?? 0) + d.items);
  }
  const flowItems = flow.reduce((n, d) => n + d.items, 0);
  const flowBytes = flow.reduce((n, d) => n + d.bytes, 0n);
  const allItems = flowItems + backlog.reduce((n, d) => n + d.items, 0);
  const busiest = [...perDay].reduce<[string, number] | null>(
    (top, day) => (top && top[1] >= day[1] ? top : day),
    null,
  );
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
        {range.from || range.to
          ? `Due per day, ${span.first} to ${span.last}`
          : `Due per day, next ${horizonDays} days`}
      </CardTitle>
      <OverdueBacklog backlog={backlog} />
      <p className="mb-2 text-sm">
        <span data-testid="chart-total-items">{formatCount(flowItems)}</span> items ·{" "}
        {formatBytes(flowBytes)} fall due after today, in the chart ·{" "}
        <span data-testid="forecast-total-items">{formatCount(allItems)}</span> items in all, as the
        table and its CSV count them
      </p>
      {flow.length === 0 ? (
        <p className="py-10 text-center text-sm text-zinc-500">
          Nothing falls due after today with these filters.
        </p>
      ) : (
        <>
          <StackedBarChart
            data={[...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, row]) => row)}
            xKey="day"
            series={[...categories].map((c) => ({
              key: c,
              label: CATEGORY_LABELS[c],
              color: CATEGORY_COLORS[c],
            }))}
            label={`Deletions due per day after today, over ${horizonDays} days`}
            format={measure === "items" ? formatCount : formatBytes}
          />
          {busiest ? (
            <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="chart-busiest-day">
              Busiest day: {busiest[0]}, {formatCount(busiest[1])} items
            </p>
          ) : null}
        </>
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
