"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatCount, formatDateTime } from "../format";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { actionsColumn, column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { QueryBoundary } from "../ui/query-boundary";
import { FormAlert } from "../ui/states";

type Paused = inferRouterOutputs<AppRouter>["review"]["paused"][number];

/** The daily run's tasks the guard paused: approve (they are deleted) or reject (they stay). */
export function ReviewView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useCan("ADMIN");
  const query = useQuery({ ...trpc.review.paused.queryOptions(), enabled: isAdmin });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.review.paused.queryKey() });
  const approve = useMutation(trpc.review.approve.mutationOptions({ onSuccess: refresh }));
  const reject = useMutation(trpc.review.reject.mutationOptions({ onSuccess: refresh }));
  const busy = approve.isPending || reject.isPending;
  const label = (p: Paused) => `${p.orgName} ${CATEGORY_LABELS[p.category].toLowerCase()}`;
  const columns = [
    column("Organization", "org", (p: Paused) => p.orgName),
    column("Category", "category", (p: Paused) => CATEGORY_LABELS[p.category]),
    figureColumn("Count", "count", (p: Paused) => formatCount(p.count)),
    figureColumn("Baseline", "baseline", (p: Paused) =>
      p.baseline === null ? "—" : formatCount(p.baseline),
    ),
    column("Why", "why", (p: Paused) => p.why),
    column("Run", "run", (p: Paused) => (
      <Link className="text-sky-700 underline dark:text-sky-400" href={`/runs/${p.runId}`}>
        {formatDateTime(p.runStartedAt)}
      </Link>
    )),
    actionsColumn((p: Paused) => (
      <div className="flex justify-end gap-2">
        <Button
          size="sm"
          disabled={busy}
          aria-label={`Approve ${label(p)}`}
          onClick={() => approve.mutate({ taskId: p.taskId })}
        >
          Approve
        </Button>
        <Button
          size="sm"
          variant="secondary"
          disabled={busy}
          aria-label={`Reject ${label(p)}`}
          onClick={() => reject.mutate({ taskId: p.taskId })}
        >
          Reject
        </Button>
      </div>
    )),
  ];
  if (!isAdmin)
    return (
      <Card>
        <p className="text-sm">
          Only admins review what the guard paused; a run&apos;s page says how many of its tasks
          await review.
        </p>
      </Card>
    );
  return (
    <>
      <FormAlert message={(approve.error ?? reject.error)?.message} />
      <QueryBoundary
        query={query}
        loading="Loading the tasks awaiting review…"
        error="The tasks awaiting review could not be loaded"
      >
        {(paused) => (
          <DataTable
            columns={columns}
            data={paused}
            caption="Tasks awaiting review"
            empty="No task awaits review: the guard paused nothing that an admin has not decided on."
            rowTestId="paused-task"
          />
        )}
      </QueryBoundary>
    </>
  );
}
