"use client";

import dynamic from "next/dynamic";
import type { ComponentProps } from "react";
import type { StackedBarChart as StackedBarChartNow } from "./bar-chart";
import type { TimeChart as TimeChartNow } from "./time-chart";

const DEFAULT_HEIGHT = 280;

/** Holds the figure's place until its code arrives, so nothing below it moves. */
function ChartPlaceholder() {
  return (
    <div
      aria-hidden
      data-testid="chart-loading"
      className="h-full w-full animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800/50"
    />
  );
}

const LazyBarChart = dynamic(() => import("./bar-chart").then((m) => m.StackedBarChart), {
  ssr: false,
  loading: ChartPlaceholder,
});
const LazyTimeChart = dynamic(() => import("./time-chart").then((m) => m.TimeChart), {
  ssr: false,
  loading: ChartPlaceholder,
});

/*
 * The charts load after the page: recharts is about a third of a console
 * page's JavaScript, and every figure a chart draws is also in the page's
 * totals and tables, so the page is usable before its charts arrive.
 */

export function StackedBarChart(props: ComponentProps<typeof StackedBarChartNow>) {
  return (
    <div style={{ minHeight: props.height ?? DEFAULT_HEIGHT }}>
      <LazyBarChart {...props} />
    </div>
  );
}

export function TimeChart(props: ComponentProps<typeof TimeChartNow>) {
  return (
    <div style={{ minHeight: props.height ?? DEFAULT_HEIGHT }}>
      <LazyTimeChart {...props} />
    </div>
  );
}
