"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { inferRouterOutputs } from "@trpc/server";
import { DriftStatus } from "@/server/generated/prisma/enums";
import type { AppRouter } from "@/server/trpc/root";
import { useTRPC } from "../trpc/client";
import { DRIFT_BADGE } from "./drift-badge";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { anyOf } from "../ui/field";
import { FilterBar, usePagedFilters, type FilterControl } from "../ui/filter-bar";
import { Pagination } from "../ui/pagination";
import { QueryBoundary } from "../ui/query-boundary";
import { RelativeTime } from "../ui/relative-time";

type Environment = inferRouterOutputs<AppRouter>["environments"]["list"]["environments"][number];

type Filters = { search: string; status: DriftStatus | "" };

const CONTROLS: FilterControl<Filters>[] = [
  {
    key: "search",
    kind: "search",
    label: "Search",
    placeholder: "Organization or environment",
    width: "w-64",
  },
  {
    key: "status",
    kind: "select",
    label: "Drift",
    options: anyOf(Object.values(DriftStatus)),
  },
];

/** Each environment's drift badge and "Checked X ago", from its latest retained check. */
export function EnvironmentList() {
  const trpc = useTRPC();
  const { asked, bar, paging } = usePagedFilters<Filters>(
    { search: useSearchParams().get("q") ?? "", status: "" },
    50,
  );
  const query = useQuery(trpc.environments.list.queryOptions(asked));
  return (
    <>
      <FilterBar {...bar} controls={CONTROLS} />
      <QueryBoundary
        query={query}
        loading="Loading environments…"
        error="Environments could not be loaded"
      >
        {(data) => (
          <>
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {data.environments.map((e) => (
                <li key={e.id}>
                  <EnvironmentCard environment={e} />
                </li>
              ))}
            </ul>
            {data.environments.length === 0 ? (
              <p className="py-6 text-center text-sm text-zinc-500">No environments match.</p>
            ) : null}
            <Pagination {...paging(data.total, "Environments")} />
          </>
        )}
      </QueryBoundary>
    </>
  );
}

function EnvironmentCard({ environment: e }: { environment: Environment }) {
  return (
    <Card>
      <div className="flex items-center justify-between gap-2">
        <Link
          className="font-medium underline-offset-2 hover:underline"
          href={`/environments/${e.id}`}
        >
          {e.name}
        </Link>
        {e.status ? (
          <Badge tone={DRIFT_BADGE[e.status].tone}>{DRIFT_BADGE[e.status].label}</Badge>
        ) : (
          <Badge>no checks</Badge>
        )}
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {e.orgName} · {e.plan}
      </p>
      <p className="mt-1 text-sm" data-testid="checked-ago">
        {e.checkedAt ? (
          <>
            Checked <RelativeTime date={e.checkedAt} />
          </>
        ) : (
          "Never checked"
        )}
      </p>
      {e.status === "DRIFT" ? (
        <p className="text-xs text-zinc-500">
          {e.modified} modified · {e.notInGit} not in git · {e.unknown} unknown
        </p>
      ) : null}
    </Card>
  );
}
