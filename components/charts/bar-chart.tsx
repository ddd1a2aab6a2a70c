"use client";

import {
  Bar,
  BarChart as RechartsBarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

export type Series = { key: string; label: string; color: string };

/**
 * Bars per x value, stacked by series. The figure is labelled for screen
 * readers; the numbers it shows are also in the page's tables.
 */
export function StackedBarChart(props: {
  data: Record<string, string | number>[];
  xKey: string;
  series: Series[];
  label: string;
  format: (value: number) => string;
  height?: number;
  layout?: "horizontal" | "vertical";
}) {
  const vertical = props.layout === "vertical";
  return (
    <figure aria-label={props.label} className="w-full" style={{ height: props.height ?? 280 }}>
      <ResponsiveContainer width="100%" height="100%">
        <RechartsBarChart
          data={props.data}
          layout={props.layout}
          margin={{ top: 8, right: 8, bottom: 8, left: vertical ? 24 : 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" className="stroke-zinc-200 dark:stroke-zinc-800" />
          {vertical ? (
            <>
              {/* Four ticks fit a half-width card: with more, recharts drops one and the scale looks uneven. */}
              <XAxis type="number" tickFormatter={props.format} tickCount={4} fontSize={12} />
              <YAxis type="category" dataKey={props.xKey} width={140} fontSize={12} />
            </>
          ) : (
            <>
              <XAxis dataKey={props.xKey} fontSize={12} />
              <YAxis tickFormatter={props.format} width={70} fontSize={12} />
            </>
          )}
          <Tooltip
            formatter={(value) => props.format(Number(value))}
            contentStyle={{ fontSize: 12 }}
          />
          {props.series.length > 1 ? (
            <Legend
              wrapperStyle={{ fontSize: 12 }}
              // In the order the bars stack, not recharts' default (by label).
              itemSorter={(item) => props.series.findIndex((s) => s.key === item.dataKey)}
            />
          ) : null}
          {props.series.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="stack"
              fill={s.color}
              isAnimationActive={false}
            />
          ))}
        </RechartsBarChart>
      </ResponsiveContainer>
    </figure>
  );
}
