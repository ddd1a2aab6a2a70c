"use client";

import { useQuery } from "@tanstack/react-query";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { formatBytes, formatCount, formatDate } from "../format";
import { useTRPC } from "../trpc/client";
import { Stat } from "../ui/card";
import { QueryBoundary } from "../ui/query-boundary";

/**
 * Stored bytes beside the bytes awaiting final deletion: purged items in
 * their restore window are gone from the live tables (so from the stored
 * bytes) but still in the bucket until the final deletion frees them.
 */
export function AwaitingDeletion({ stored, day }: { stored: bigint; day: string | null }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.storage.awaitingDeletion.queryOptions());
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Stat
        label="Stored bytes"
        value={<span data-testid="stored-bytes">{formatBytes(stored)}</span>}
        hint={day ? `live items, as of ${formatDate(day)}` : "no snapshot yet"}
      />
      <QueryBoundary
        query={query}
        loading={null}
        error="Bytes awaiting final deletion could not be loaded"
      >
        {(awaiting) => (
          <Stat
            label="Awaiting final deletion"
            value={<span data-testid="awaiting-bytes">{formatBytes(awaiting.bytes)}</span>}
            hint={
              <span data-testid="awaiting-detail">
                {awaiting.items === 0
                  ? "Nothing purged is in its restore window."
                  : `${formatCount(awaiting.items)} purged items, restorable until their final deletion: ` +
                    awaiting.byCategory
                      .map(
                        (c) =>
                          `${CATEGORY_LABELS[c.category]} ${formatBytes(c.bytes)}` +
                          (c.nextFinalDeletion ? ` (from ${formatDate(c.nextFinalDeletion)})` : ""),
                      )
                      .join(" · ")}
              </span>
            }
          />
        )}
      </QueryBoundary>
    </div>
  );
}
