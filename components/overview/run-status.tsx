"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { AlertOctagon, PauseCircle } from "lucide-react";
import Link from "next/link";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDateTime, formatDuration } from "../format";
import { useTRPC } from "../trpc/client";
import { RunStatusBadge } from "../runs/run-status-badge";
import { Banner } from "../ui/banner";
import { Card, Stat } from "../ui/card";
import { RelativeTime } from "../ui/relative-time";
import { QueryBoundary } from "../ui/query-boundary";

type Status = inferRouterOutputs<AppRouter>["overview"]["status"];

/** The daily purge at a glance, with the red banner when it has not succeeded for 25 hours. */
export function RunStatus() {
  const trpc = useTRPC();
  const query = useQuery(trpc.overview.status.queryOptions());
  return (
    <QueryBoundary
      query={query}
      loading="Loading the daily purge's status…"
      error="The purge status could not be loaded"
    >
      {(status) => <DailyPurge status={status} />}
    </QueryBoundary>
  );
}

function DailyPurge({ status: s }: { status: Status }) {
  const run = s.lastRun;
  return (
    <div className="mb-6 flex flex-col gap-4">
      {s.stale ? (
        <Banner tone="alert" icon={AlertOctagon} testId="stale-banner">
          <div>
            <p className="font-semibold">The daily purge has not succeeded for 25 hours.</p>
            <p className="text-sm text-red-50">
              {s.lastSuccess?.finishedAt ? (
                <>
                  Last success <RelativeTime date={s.lastSuccess.finishedAt} /> (
                  {formatDateTime(s.lastSuccess.finishedAt)}).
                </>
              ) : (
                "It has never succeeded on this deployment."
              )}{" "}
              {s.planning
                ? `The day's plan is being planned (${s.planning.stepsDone} of ${s.planning.stepsTotal} planning steps done): its run starts when they are.`
                : "Check the latest run's errors and the cron configuration (CRON_SECRET, vercel.json)."}
            </p>
          </div>
        </Banner>
      ) : null}
      {s.awaitingReview > 0 ? (
        <Banner tone="waiting" icon={PauseCircle} testId="review-banner">
          <p>
            The guard paused {formatCount(s.awaitingReview)}{" "}
            {s.awaitingReview === 1 ? "task" : "tasks"} of the daily purge: nothing of{" "}
            {s.awaitingReview === 1 ? "it" : "theirs"} is deleted until an admin{" "}
            <Link className="font-medium underline" href="/review">
              reviews {s.awaitingReview === 1 ? "it" : "them"}
            </Link>
            .
          </p>
        </Banner>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <Card>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Last run</p>
          {run ? (
            <div className="mt-1 space-y-1 text-sm">
              <div className="flex items-center gap-2">
                <RunStatusBadge status={run.status} />
                <span data-testid="last-run-by">by {run.startedBy}</span>
              </div>
              <p>
                {formatCount(run.deleted)} deleted
                {run.archived > 0n ? ` · ${formatCount(run.archived)} archived` : ""} ·{" "}
                {formatBytes(run.bytesFreed)} freed ·{" "}
                {formatDuration(
                  run.finishedAt
                    ? new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()
                    : null,
                )}
              </p>
              <Link className="text-sky-700 underline dark:text-sky-400" href={`/runs/${run.id}`}>
                Started <RelativeTime date={run.startedAt} />
              </Link>
            </div>
          ) : (
            <p className="mt-1 text-sm">No purge has run yet.</p>
          )}
          {s.planning ? (
            <p className="mt-1 text-sm" data-testid="day-planning">
              Today&apos;s run is being planned: {s.planning.stepsDone} of {s.planning.stepsTotal}{" "}
              planning steps done, started <RelativeTime date={s.planning.startedAt} />.
            </p>
          ) : null}
        </Card>
        <Stat
          label="Next scheduled run"
          value={formatDateTime(s.nextRun)}
          hint={
            <>
              daily at 04:00 UTC, <RelativeTime date={s.nextRun} />
            </>
          }
        />
        <Stat
          label="Freed in the last 30 days"
          value={<span data-testid="freed-30d">{formatBytes(s.freedLast30Days.bytes)}</span>}
          hint={`${formatCount(s.freedLast30Days.items)} items purged`}
        />
      </div>
    </div>
  );
}
