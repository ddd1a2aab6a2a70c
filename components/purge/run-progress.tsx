"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useEffect } from "react";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatItems } from "../format";
import { RunStatusBadge } from "../runs/run-status-badge";
import { useTRPC } from "../trpc/client";
import { actionParts } from "./actions";
import { Card, CardTitle } from "../ui/card";
import { Figures } from "../ui/figures";
import { ProgressBar } from "../ui/progress";
import { QueryBoundary } from "../ui/query-boundary";

type Outputs = inferRouterOutputs<AppRouter>["purge"];

/** A run's progress, polled while it works, then its result: deleted, archived, skipped and why, bytes, errors. */
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
  // The run page's Restore window card asks the same.
  const kept = useQuery({
    ...trpc.restore.window.queryOptions({ runId, page: 1, pageSize: 50 }),
    enabled: Boolean(finished),
  });
  useEffect(() => {
    // What a finished run changed shows up everywhere: totals, forecasts, lists.
    if (finished) void queryClient.invalidateQueries();
  }, [finished, queryClient]);
  return (
    <QueryBoundary query={run} loading="Starting the run…" error="The run could not be loaded">
      {(r) => (
        <RunResult
          run={r}
          problems={detail.data}
          inWindow={kept.data?.restorable}
          restored={kept.data?.restored.items ?? 0}
          showLink={showLink}
        />
      )}
    </QueryBoundary>
  );
}

/** What the run is doing: a large run writes its tasks a range of orgs at a time before all of them purge. */
function progressLabel(r: Outputs["run"]) {
  if (r.status !== "RUNNING") return "Done";
  if (!r.opening) return "Purging…";
  const { opened, ranges } = r.opening;
  return `Opening: tasks written for ${formatCount(opened)} of ${formatCount(ranges)} ranges of orgs; purging those…`;
}

function RunResult({
  run: r,
  problems,
  inWindow,
  restored,
  showLink,
}: {
  run: Outputs["run"];
  problems: Outputs["runDetail"] | undefined;
  /** What the run purged that is still restorable: not freed until its window ends. */
  inWindow: { items: number; bytes: bigint } | undefined;
  /** What the run purged that was restored since: still counted above, back in its tables. */
  restored: number;
  showLink: boolean;
}) {
  const figures = [
    ...actionParts(r.actions).map((p) => ({
      label: p.words.result,
      value: formatCount(p.count),
      testId: `run-${p.words.result.toLowerCase()}`,
    })),
    { label: "Skipped", value: formatCount(r.skipped), testId: "run-skipped" },
    { label: "Failed", value: formatCount(r.failed), testId: "run-failed" },
    { label: "Bytes freed", value: formatBytes(r.bytesFreed), testId: "run-bytes" },
  ];
  const errored = problems?.tasks.filter((t) => t.lastError) ?? [];
  const reasons = problems?.skipReasons ?? [];
  useEffect(() => {
    // The runs list links here ("12 skipped"); the reasons arrive after the page.
    if (reasons.length && window.location.hash === "#skipped")
      document.getElementById("skipped")?.scrollIntoView();
  }, [reasons.length]);
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
      <ProgressBar value={r.fraction} label={progressLabel(r)} />
      <Figures figures={figures} />
      {inWindow && inWindow.items > 0 ? (
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400" data-testid="run-in-window">
          Besides the bytes freed, {formatItems(inWindow.items)} ({formatBytes(inWindow.bytes)})
          this run purged wait in their restore window: restorable until it ends, then deleted and
          freed.
          {showLink ? (
            <>
              {" "}
              <Link className="underline" href={`/runs/${r.id}`}>
                See the restore window
              </Link>
              .
            </>
          ) : null}
        </p>
      ) : null}
      {restored > 0 ? (
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400" data-testid="run-restored">
          {formatItems(restored)} of what this run purged {restored === 1 ? "was" : "were"} restored
          since: counted above as the run purged them, they are back in their tables.
        </p>
      ) : null}
      {reasons.length > 0 ? (
        <div className="mt-4 scroll-mt-4" id="skipped" data-testid="skip-reasons">
          <h3 className="text-sm font-medium">Skipped or failed, and why</h3>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {reasons.map((s) => (
              <li key={`${s.category} ${s.reason}`}>
                {CATEGORY_LABELS[s.category]}: {formatCount(s.count)} × {s.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {errored.length > 0 ? (
        <div className="mt-4">
          <h3 className="text-sm font-medium">Errors</h3>
          <ul className="mt-1 list-disc pl-5 text-sm text-red-800 dark:text-red-300">
            {errored.map((t) => (
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
