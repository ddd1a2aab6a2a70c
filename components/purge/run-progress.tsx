"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect } from "react";
import { formatBytes, formatCount } from "../format";
import { RunStatusBadge } from "../runs/run-status-badge";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { ProgressBar } from "../ui/progress";
import { ErrorBlock, LoadingBlock } from "../ui/states";

/** A run's progress, polled while it works, then its result: deleted, skipped and why, bytes, errors. */
export function RunProgress({ runId, showLink = true }: { runId: string; showLink?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery({
    ...trpc.purge.run.queryOptions({ runId }),
    refetchInterval: (q) => (q.state.data?.status === "RUNNING" || !q.state.data ? 1000 : false),
  });
  const finished = run.data && run.data.status !== "RUNNING";
  const detail = useQuery({
    ...trpc.purge.runDetail.queryOptions({ runId, onlyProblems: true, page: 1, pageSize: 20 }),
    enabled: Boolean(finished),
  });
  useEffect(() => {
    // What a finished run changed shows up everywhere: totals, forecasts, lists.
    if (finished) void queryClient.invalidateQueries();
  }, [finished, queryClient]);
  if (run.isPending) return <LoadingBlock label="Starting the run…" />;
  if (run.isError) return <ErrorBlock title="The run could not be loaded" query={run} />;
  const r = run.data;
  return (
    <Card data-testid="run-progress">
      <CardTitle action={<RunStatusBadge status={r.status} />}>
        Run{" "}
        {showLink ? (
          <Link className="underline" href={`/runs/${r.id}`}>
            {r.id.slice(0, 8)}
          </Link>
        ) : (
          r.id.slice(0, 8)
        )}
      </CardTitle>
      <ProgressBar value={r.fraction} label={r.status === "RUNNING" ? "Purging…" : "Done"} />
      <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Deleted</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="run-deleted">
            {formatCount(r.deleted)}
          </dd>
        </div>
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Skipped</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="run-skipped">
            {formatCount(r.skipped)}
          </dd>
        </div>
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Failed</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="run-failed">
            {formatCount(r.failed)}
          </dd>
        </div>
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Bytes freed</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="run-bytes">
            {formatBytes(r.bytesFreed)}
          </dd>
        </div>
      </dl>
      {detail.data && detail.data.skipReasons.length > 0 ? (
        <div className="mt-4">
          <h3 className="text-sm font-medium">Skipped or failed, and why</h3>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {detail.data.skipReasons.map((s) => (
              <li key={s.reason}>
                {formatCount(s.count)} × {s.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {detail.data?.tasks.some((t) => t.lastError) ? (
        <div className="mt-4">
          <h3 className="text-sm font-medium">Errors</h3>
          <ul className="mt-1 list-disc pl-5 text-sm text-red-800 dark:text-red-300">
            {detail.data.tasks
              .filter((t) => t.lastError)
              .map((t) => (
                <li key={t.id}>
                  {t.orgName} · {t.category.toLowerCase().replace(/_/g, " ")}: {t.lastError}
                </li>
              ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
