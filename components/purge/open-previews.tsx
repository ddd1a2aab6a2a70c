"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatBytes, formatCount, formatDateTime } from "../format";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { QueryBoundary } from "../ui/query-boundary";
import { Countdown } from "./countdown";
import { DiscardPreview } from "./discard-preview";

/**
 * The signed-in person's open previews. Each keeps its whole item list
 * until it expires, and the number open at once is capped: discarding one
 * here is how a refused dry run gets its slot back.
 */
export function OpenPreviews() {
  const trpc = useTRPC();
  const canPreview = useCan("OPERATOR");
  const open = useQuery({ ...trpc.purge.openPreviews.queryOptions(), enabled: canPreview });
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
                <DiscardPreview planId={p.id} />
              </li>
            ))}
          </ul>
        )}
      </QueryBoundary>
    </Card>
  );
}
