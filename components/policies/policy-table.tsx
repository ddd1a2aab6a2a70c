"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Card, CardTitle } from "../ui/card";
import { ErrorBlock, LoadingBlock } from "../ui/states";

const days = (d: number | null | undefined) =>
  d === undefined ? "—" : d === null ? "∞" : `${d} d`;

/** The plan × category table of effective windows; values the environment changed are marked. */
export function PolicyTable() {
  const trpc = useTRPC();
  const query = useQuery(trpc.policies.table.queryOptions());
  if (query.isPending) return <LoadingBlock label="Loading policies…" />;
  if (query.isError) return <ErrorBlock title="Policies could not be loaded" query={query} />;
  const plans = query.data.categories[0]?.plans.map((p) => p.plan) ?? [];
  return (
    <Card className="mb-6">
      <CardTitle>Retention windows by plan</CardTitle>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">
            Effective retention window per category and plan; ∞ never purged, — the plan has no such
            data
          </caption>
          <thead className="text-xs text-zinc-600 uppercase dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-2 py-2">
                Category
              </th>
              <th scope="col" className="px-2 py-2">
                Ages by
              </th>
              {plans.map((p) => (
                <th key={p} scope="col" className="px-2 py-2 text-right">
                  {p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {query.data.categories.map((c) => (
              <tr key={c.category}>
                <th scope="row" className="px-2 py-2 font-medium">
                  {c.label}
                  <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">
                    {c.action}
                  </span>
                </th>
                <td className="px-2 py-2 text-zinc-600 dark:text-zinc-400">{c.agedBy}</td>
                {c.plans.map((p) => (
                  <td
                    key={p.plan}
                    className="px-2 py-2 text-right tabular-nums"
                    data-testid={`window-${c.category}-${p.plan}`}
                  >
                    {days(p.days)} {p.source === "env" ? <Badge tone="info">env</Badge> : null}
                  </td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row" className="px-2 py-2 font-medium">
                Database backups
                <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">
                  newest kept per environment
                </span>
              </th>
              <td className="px-2 py-2 text-zinc-600 dark:text-zinc-400" colSpan={plans.length + 1}>
                {Object.entries(query.data.backupKeep)
                  .map(([env, n]) => `${env} ${n}`)
                  .join(" · ")}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
        Plan windows come from PRODUCT defaults and the RETENTION_DAYS_* environment variables; an
        org override moves one org&apos;s window inside the bounds its plan sets.
      </p>
    </Card>
  );
}
