"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { formatBytes, formatCount, formatDateTime } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { ProgressBar } from "../ui/progress";
import { QueryBoundary } from "../ui/query-boundary";

type Export = inferRouterOutputs<AppRouter>["exports"]["list"][number];

const building = (e: Export) => e.status === "QUEUED" || e.status === "BUILDING";

/** Share done: by bytes when the export has files, else by items. */
const fractionOf = (e: Export) =>
  e.bytesTotal > 0n
    ? Number(e.bytesDone) / Number(e.bytesTotal)
    : e.itemsTotal > 0n
      ? Number(e.itemsDone) / Number(e.itemsTotal)
      : 0;

/** The signed link, fetched once the export is ready: the same link a notice carries. */
function DownloadLink({ exportId }: { exportId: number }) {
  const trpc = useTRPC();
  const link = useQuery(trpc.exports.link.queryOptions({ exportId }));
  return (
    <QueryBoundary query={link} error="The download link could not be made">
      {({ url, expiresAt }) => (
        <span className="flex items-center gap-2">
          <span className="text-xs text-zinc-500">
            link works until {formatDateTime(expiresAt)}
          </span>
          <Button asChild size="sm">
            <a href={url} download>
              Download export {exportId}
            </a>
          </Button>
        </span>
      )}
    </QueryBoundary>
  );
}

function ExportRow({ item }: { item: Export }) {
  const what = item.categories.map((c) => CATEGORY_LABELS[c]).join(", ");
  return (
    <li
      className="flex flex-col gap-2 border-t border-zinc-200 py-3 first:border-t-0 dark:border-zinc-800"
      data-testid="export"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <span className="font-medium">
            Export {item.id}: {what}, due within {item.withinDays} days
          </span>
          <span className="ml-2 text-xs text-zinc-500">
            asked {formatDateTime(item.createdAt)}
            {item.noticeId ? ` by notice ${item.noticeId}` : ""}
          </span>
        </div>
        {item.status === "READY" ? (
          <DownloadLink exportId={item.id} />
        ) : (
          <Badge tone={item.status === "FAILED" ? "bad" : "info"}>
            {item.status.toLowerCase()}
          </Badge>
        )}
      </div>
      {building(item) ? (
        <ProgressBar
          value={fractionOf(item)}
          label={`${formatCount(item.itemsDone)} of ${formatCount(item.itemsTotal)} rows and files · ${formatBytes(item.bytesDone)} of ${formatBytes(item.bytesTotal)} of files`}
        />
      ) : null}
      {item.status === "READY" ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {formatCount(item.itemsDone)} rows and files (an item with a file is both) ·{" "}
          {formatBytes(item.bytes ?? 0n)} zip · expires {formatDateTime(item.expiresAt)} · SHA-256{" "}
          <code className="text-xs break-all">{item.sha256}</code>
        </p>
      ) : null}
      {item.status === "EXPIRED" ? (
        <p className="text-sm text-zinc-500">
          Expired and deleted {formatDateTime(item.expiredAt ?? item.expiresAt)}.
        </p>
      ) : null}
      {item.status === "FAILED" ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {item.error}
        </p>
      ) : null}
    </li>
  );
}

/** The org's exports, newest first; polled while one is being built. */
export function ExportList({ orgId }: { orgId: number }) {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.exports.list.queryOptions({ orgId }),
    refetchInterval: (q) => (q.state.data?.some(building) ? 1_000 : false),
  });
  return (
    <Card>
      <CardTitle>Exports</CardTitle>
      <QueryBoundary query={query} error="The exports could not be loaded">
        {(items) =>
          items.length === 0 ? (
            <p className="text-sm text-zinc-500">No export yet.</p>
          ) : (
            <ul>
              {items.map((e) => (
                <ExportRow key={e.id} item={e} />
              ))}
            </ul>
          )
        }
      </QueryBoundary>
    </Card>
  );
}
