"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatBytes, formatCount, formatDateTime, formatTimeLeft } from "../format";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { ProgressBar } from "../ui/progress";
import { QueryBoundary } from "../ui/query-boundary";
import { Countdown } from "./countdown";
import { DiscardPreview } from "./discard-preview";
import { PLANNING_POLL_MS, planningDone } from "./planning-progress";

/**
 * The signed-in person's open previews. Each keeps its whole item list
 * until it expires, and the number open at once is capped: discarding one
 * here is how a refused dry run gets its slot back.
 */
export function OpenPreviews() {
  const trpc = useTRPC();
  const canPreview = useCan("OPERATOR");
  const open = useQuery({
    ...trpc.purge.openPreviews.queryOptions(),
    enabled: canPreview,
    refetchInterval: (q) => (q.state.data?.some((p) => p.progress) ? PLANNING_POLL_MS : false),
  });
  if (!canPreview || (open.isSuccess && open.data.length === 0)) return null;
  return (
    <Card>
      <CardTitle>Your open previews</CardTitle>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        Each keeps its full list of items until it expires, and only a few may be open at once:
        discard the ones you no longer need.
      </p>
      <QueryBoundary query={open} loading={null} error="Your open previews could not be loaded">
        {(previews) => (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {previews.map((p) => (
              <li
                key={p.id}
                className="flex flex-wrap items-center gap-3 py-2 text-sm"
                data-testid="open-preview"
              >
                <Link href={`/purge/${p.id}`} className="font-mono underline underline-offset-2">
                  {p.id.slice(0, 8)}
                </Link>
                {p.progress ? (
                  <span className="flex min-w-64 flex-1 flex-col gap-1">
                    <span>
                      Dry run planning · made {formatDateTime(p.createdAt)} ·{" "}
                      {formatCount(p.progress.items)} items found so far ·{" "}
                      {formatTimeLeft(p.progress.etaSeconds)}
                    </span>
                    <ProgressBar value={planningDone(p.progress)} label="Planning steps done" />
                  </span>
                ) : (
                  <span>
                    {p.erasureId
                      ? `GDPR erasure #${p.erasureId}`
                      : p.trigger === "API"
                        ? "API preview"
                        : "Preview"}
                    {" · "}
                    {formatCount(p.itemCount)} items, {formatBytes(p.bytes)} · made{" "}
                    {formatDateTime(p.createdAt)} · <Countdown until={p.expiresAt} />
                  </span>
                )}
                <DiscardPreview planId={p.id} planning={Boolean(p.progress)} />
              </li>
            ))}
          </ul>
        )}
      </QueryBoundary>
    </Card>
  );
}
