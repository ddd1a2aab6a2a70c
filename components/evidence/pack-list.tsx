"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDate, formatDateTime } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { ProgressBar } from "../ui/progress";
import { QueryBoundary } from "../ui/query-boundary";

type Pack = inferRouterOutputs<AppRouter>["evidence"]["packs"][number];

const building = (p: Pack) => p.status === "QUEUED" || p.status === "BUILDING";

function PackRow({ pack }: { pack: Pack }) {
  const period = `${formatDate(pack.fromDay)} to ${formatDate(pack.toDay)}`;
  const scope =
    pack.orgId === null ? "every organization" : (pack.orgName ?? `organization ${pack.orgId}`);
  return (
    <li
      className="flex flex-col gap-2 border-t border-zinc-200 py-3 first:border-t-0 dark:border-zinc-800"
      data-testid="evidence-pack"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <span className="font-medium">
            Pack {pack.id}: {period}, {scope}
          </span>
          <span className="ml-2 text-xs text-zinc-500">asked {formatDateTime(pack.createdAt)}</span>
        </div>
        {pack.status === "READY" ? (
          <Button asChild size="sm">
            <a href={`/api/evidence/packs/${pack.id}`} download>
              Download pack {pack.id}
            </a>
          </Button>
        ) : (
          <Badge tone={pack.status === "FAILED" ? "bad" : "info"}>
            {pack.status.toLowerCase()}
          </Badge>
        )}
      </div>
      {building(pack) ? (
        <ProgressBar
          value={pack.total > 0n ? Number(pack.done) / Number(pack.total) : 0}
          label={`${formatCount(pack.done)} of ${formatCount(pack.total)} manifest batches`}
        />
      ) : null}
      {pack.status === "READY" ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {formatCount(pack.items ?? 0n)} items purged · {formatBytes(pack.bytes ?? 0n)} zip ·{" "}
          {pack.mismatches === 0 ? (
            "records and manifests agree"
          ) : (
            <span className="text-red-700 dark:text-red-400">
              {pack.mismatches} mismatches listed in reconciliation.ndjson
            </span>
          )}{" "}
          · SHA-256 <code className="text-xs break-all">{pack.sha256}</code>
        </p>
      ) : null}
      {pack.status === "FAILED" ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {pack.error}
        </p>
      ) : null}
    </li>
  );
}

/** The packs asked for, newest first; polled while one is being built. */
export function PackList() {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.evidence.packs.queryOptions(),
    refetchInterval: (q) => (q.state.data?.some(building) ? 1_000 : false),
  });
  return (
    <Card>
      <CardTitle>Packs</CardTitle>
      <QueryBoundary query={query} error="The evidence packs could not be loaded">
        {(packs) =>
          packs.length === 0 ? (
            <p className="text-sm text-zinc-500">No pack yet.</p>
          ) : (
            <ul>
              {packs.map((p) => (
                <PackRow key={p.id} pack={p} />
              ))}
            </ul>
          )
        }
      </QueryBoundary>
    </Card>
  );
}
