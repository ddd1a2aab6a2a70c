"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { formatCount, formatDateTime } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Card, CardTitle } from "../ui/card";
import { column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { PurgeNote } from "../ui/purge-note";
import { QueryBoundary } from "../ui/query-boundary";
import { DRIFT_BADGE } from "./drift-badge";

type Environment = inferRouterOutputs<AppRouter>["environments"]["get"];

const columns: ColumnDef<Environment["checks"][number], unknown>[] = [
  column("Checked", "checkedAt", (c) => formatDateTime(c.checkedAt), { rowHeader: true }),
  column("Drift", "status", (c) => (
    <Badge tone={DRIFT_BADGE[c.status].tone}>{DRIFT_BADGE[c.status].label}</Badge>
  )),
  figureColumn("Modified", "modified", (c) => formatCount(c.modified)),
  figureColumn("Not in git", "notInGit", (c) => formatCount(c.notInGit)),
  figureColumn("Unknown", "unknown", (c) => formatCount(c.unknown)),
];

/** One environment: its org, its retained drift checks, and what a purge took of them. */
export function EnvironmentDetail({ id }: { id: number }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.environments.get.queryOptions({ id }));
  return (
    <QueryBoundary
      query={query}
      loading="Loading the environment…"
      error="The environment could not be loaded"
    >
      {(e) => (
        <div className="flex flex-col gap-6">
          <h2 className="-mt-4 text-lg" data-testid="environment-name">
            {e.name}
          </h2>
          <p className="text-sm">
            {e.org.name} <Badge>{e.org.plan}</Badge>
          </p>
          <Card>
            <CardTitle>Drift checks</CardTitle>
            <DataTable
              flush
              caption={`The latest of its ${formatCount(e.retained)} retained drift checks`}
              columns={columns}
              data={e.checks}
              empty="Never checked."
            />
            <PurgeNote
              note={e.orgChecksPurged}
              noun={[
                `drift check of ${e.org.name}'s environments`,
                `drift checks of ${e.org.name}'s environments`,
              ]}
              testId="checks-purged"
            />
          </Card>
        </div>
      )}
    </QueryBoundary>
  );
}
