"use client";

import { useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { useState } from "react";
import { describeScope } from "@/server/retention/erasure/scope";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { formatBytes, formatCount, formatDuration } from "../format";
import { RunProgress } from "../purge/run-progress";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Card, CardTitle } from "../ui/card";
import { Pagination } from "../ui/pagination";
import { ErrorBlock, LoadingBlock } from "../ui/states";
import { RunSweeps } from "./run-sweeps";
import { TaskStatusBadge } from "./task-status-badge";

/** One run: progress and result, per org × category counts and errors, manifest downloads. */
export function RunDetail({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const detail = useQuery({
    ...trpc.purge.runDetail.queryOptions({ runId, onlyProblems, page, pageSize: 50 }),
    refetchInterval: (q) => (q.state.data?.progress.status === "RUNNING" ? 2000 : false),
  });
  return (
    <div className="flex flex-col gap-6">
      <RunProgress runId={runId} showLink={false} />
      {detail.data?.erasure ? (
        <p className="text-sm" data-testid="run-erasure">
          GDPR erasure #{detail.data.erasure.id} · {describeScope(detail.data.erasure.scope)}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-3">
        {(["json", "csv"] as const).map((format) => (
          <a
            key={format}
            href={`/api/runs/${runId}/manifest?format=${format}`}
            download
            className="inline-flex h-9 items-center gap-2 rounded-md border border-zinc-300 px-3 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            <Download aria-hidden className="size-4" />
            Manifest ({format.toUpperCase()})
          </a>
        ))}
      </div>
      {detail.data ? <RunSweeps sweeps={detail.data.sweeps} /> : null}
      <Card>
        <CardTitle
          action={
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={onlyProblems}
                onChange={(e) => {
                  setOnlyProblems(e.target.checked);
                  setPage(1);
                }}
              />
              Only skipped, failed or errored
            </label>
          }
        >
          By organization and category
        </CardTitle>
        {detail.isPending ? (
          <LoadingBlock />
        ) : detail.isError ? (
          <ErrorBlock title="The run's tasks could not be loaded" query={detail} />
        ) : (
          <>
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Counts per organization and category</caption>
                <thead className="text-xs text-zinc-600 uppercase dark:text-zinc-400">
                  <tr>
                    <th scope="col" className="py-2">
                      Organization
                    </th>
                    <th scope="col">Category</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="text-right">
                      Eligible
                    </th>
                    <th scope="col" className="text-right">
                      Deleted
                    </th>
                    <th scope="col" className="text-right">
                      Skipped
                    </th>
                    <th scope="col" className="text-right">
                      Failed
                    </th>
                    <th scope="col" className="text-right">
                      Bytes freed
                    </th>
                    <th
                      scope="col"
                      className="text-right"
                      title="How long its longest batch held its rows' locks"
                    >
                      Longest batch
                    </th>
                    <th scope="col" className="pl-4">
                      Error
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                  {detail.data.tasks.map((t) => (
                    <tr key={t.id}>
                      <td className="py-2">
                        {t.orgName} <Badge>{t.plan}</Badge>
                      </td>
                      <td>{CATEGORY_LABELS[t.category]}</td>
                      <td>
                        <TaskStatusBadge status={t.status} />
                      </td>
                      <td className="text-right tabular-nums">{formatCount(t.eligible)}</td>
                      <td className="text-right tabular-nums">{formatCount(t.deleted)}</td>
                      <td className="text-right tabular-nums">{formatCount(t.skipped)}</td>
                      <td className="text-right tabular-nums">{formatCount(t.failed)}</td>
                      <td className="text-right tabular-nums">{formatBytes(t.bytesFreed)}</td>
                      <td className="text-right tabular-nums">
                        {t.batches > 0 ? formatDuration(t.longestBatchMs) : "—"}
                      </td>
                      <td
                        className="max-w-xs truncate pl-4 text-red-800 dark:text-red-300"
                        title={t.lastError ?? undefined}
                      >
                        {t.lastError ?? ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {detail.data.tasks.length === 0 ? (
              <p className="py-6 text-center text-sm text-zinc-500">Nothing to show.</p>
            ) : null}
            <Pagination
              page={page}
              pageSize={50}
              total={detail.data.taskCount}
              onPage={setPage}
              label="Run tasks"
            />
          </>
        )}
      </Card>
    </div>
  );
}
