"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { Plan, RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { StackedBarChart, TimeChart } from "../charts/lazy";
import { CATEGORY_COLORS, PLAN_COLORS } from "../charts/palette";
import { formatBytes, formatDate } from "../format";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { TRIGGER_LABELS } from "../runs/run-scope";
import { QueryBoundary } from "../ui/query-boundary";
import { AwaitingDeletion } from "./awaiting-deletion";

/** Pivots (day, key, bytes) rows into one row per day with a column per key. */
function pivot<K extends string>(rows: { day: string; key: K; bytes: bigint }[]) {
  const days = new Map<string, Record<string, string | number>>();
  const keys = new Set<K>();
  for (const r of rows) {
    keys.add(r.key);
    const row = days.get(r.day) ?? { day: r.day };
    row[r.key] = Number(r.bytes);
    days.set(r.day, row);
  }
  return { data: [...days.values()], keys: [...keys] };
}

type History = inferRouterOutputs<AppRouter>["storage"]["history"];

/** The latest snapshot's stored bytes, all categories together. */
function latestStored(history: History) {
  const day = history.byCategory.at(-1)?.day ?? null;
  const stored = history.byCategory
    .filter((r) => r.day === day)
    .reduce((sum, r) => sum + r.bytes, 0n);
  return { stored, day };
}

export function StorageView() {
  const trpc = useTRPC();
  const history = useQuery(trpc.storage.history.queryOptions({ days: 180 }));
  // Asked for at once, beside the history, not after it.
  const freed = useQuery(trpc.storage.freedByRun.queryOptions({ limit: 30 }));
  const projection = useQuery(trpc.storage.projection.queryOptions());
  return (
    <QueryBoundary
      query={history}
      loading="Loading storage history…"
      error="Storage history could not be loaded"
    >
      {(h) => (
        <div className="grid gap-6">
          <AwaitingDeletion {...latestStored(h)} />
          <HistoryCharts history={h} />
          <div className="grid gap-6 lg:grid-cols-2">
            <Card>
              <CardTitle>Bytes freed per run</CardTitle>
              <QueryBoundary query={freed} error="Runs could not be loaded">
                {(runs) =>
                  runs.length === 0 ? (
                    <p className="py-10 text-center text-sm text-zinc-500">No finished runs yet.</p>
                  ) : (
                    <StackedBarChart
                      data={runs.map((r) => ({
                        run: `${formatDate(r.startedAt).slice(5)} ${TRIGGER_LABELS[r.trigger]}`,
                        bytes: Number(r.bytesFreed),
                      }))}
                      xKey="run"
                      series={[{ key: "bytes", label: "Freed", color: "#10b981" }]}
                      label="Bytes freed by each recent run"
                      format={formatBytes}
                    />
                  )
                }
              </QueryBoundary>
            </Card>
            <Card>
              <CardTitle>Projection, next 90 days</CardTitle>
              <QueryBoundary query={projection} error="The projection could not be computed">
                {(p) => (
                  <>
                    <TimeChart
                      data={p.points.map((point) => ({
                        day: point.day.slice(5),
                        bytes: point.bytes,
                      }))}
                      series={[{ key: "bytes", label: "Projected stored bytes", color: "#6366f1" }]}
                      label="Projected stored bytes over the next 90 days"
                      format={formatBytes}
                    />
                    <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
                      Today {formatBytes(p.current)}, with about {formatBytes(p.growthPerDay)} of
                      new data a day (the last 30 days&apos; snapshots: the change in stored bytes
                      plus what purges took out), less what current policies delete each day.
                    </p>
                  </>
                )}
              </QueryBoundary>
            </Card>
          </div>
        </div>
      )}
    </QueryBoundary>
  );
}

function HistoryCharts({ history }: { history: History }) {
  const byCategory = pivot<RetentionCategory>(
    history.byCategory.map((r) => ({ day: r.day, key: r.category, bytes: r.bytes })),
  );
  const byPlan = pivot<Plan>(
    history.byPlan.map((r) => ({ day: r.day, key: r.plan, bytes: r.bytes })),
  );
  return (
    <>
      <Card>
        <CardTitle>Stored bytes by category, last 180 days</CardTitle>
        <TimeChart
          data={byCategory.data}
          series={byCategory.keys.map((k) => ({
            key: k,
            label: CATEGORY_LABELS[k],
            color: CATEGORY_COLORS[k],
          }))}
          label="Stored bytes per category over time"
          format={formatBytes}
          stacked
          height={320}
        />
      </Card>
      <Card>
        <CardTitle>Stored bytes by plan</CardTitle>
        <TimeChart
          data={byPlan.data}
          series={byPlan.keys.map((k) => ({ key: k, label: k, color: PLAN_COLORS[k] }))}
          label="Stored bytes per plan over time"
          format={formatBytes}
          stacked
        />
      </Card>
    </>
  );
}
