"use client";

import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { Series } from "./bar-chart";

/** Values over days, as stacked areas (or one area per series when not stacked). */
export function TimeChart(props: {
  data: Record<string, string | number>[];
  series: Series[];
  label: string;
  format: (value: number) => string;
  stacked?: boolean;
  height?: number;
}) {
  return (
    <figure aria-label={props.label} className="w-full" style={{ height: props.height ?? 280 }}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={props.data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-zinc-200 dark:stroke-zinc-800" />
          <XAxis dataKey="day" fontSize={12} minTickGap={24} />
          <YAxis tickFormatter={props.format} width={70} fontSize={12} />
          <Tooltip
            formatter={(value) => props.format(Number(value))}
            contentStyle={{ fontSize: 12 }}
          />
          {props.series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {props.series.map((s) => (
            <Area
              key={s.key}
              dataKey={s.key}
              name={s.label}
              type="monotone"
              stackId={props.stacked ? "stack" : undefined}
              stroke={s.color}
              fill={s.color}
              fillOpacity={props.stacked ? 0.5 : 0.15}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}
