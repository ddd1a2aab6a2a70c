"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { formatBytes, formatDate } from "../format";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Pagination } from "../ui/pagination";
import { PinPanel, type PinTarget } from "../pins/pin-panel";
import { QueryBoundary } from "../ui/query-boundary";

function Explain({ category, itemId }: { category: RetentionCategory; itemId: number }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.deletions.explain.queryOptions({ category, itemId }));
  if (query.isPending) return <span className="text-zinc-500">checking…</span>;
  if (query.isError) return <span className="text-red-700">{query.error.message}</span>;
  return <span data-testid="explanation">{query.data.text}</span>;
}

/** What a pin on this item of the category would cover: the artifact, or the incident of a payload. */
function pinTarget(category: RetentionCategory, itemId: number): PinTarget | null {
  if (category === "ARTIFACTS") return { scope: "ARTIFACT", artifactId: itemId };
  if (category === "INCIDENT_PAYLOADS") return { scope: "INCIDENT", incidentId: itemId };
  return null;
}

/** The pin panel of an item a pin can cover. */
function ItemPin({ category, itemId }: { category: RetentionCategory; itemId: number }) {
  const target = pinTarget(category, itemId);
  return target ? <PinPanel target={target} /> : null;
}

/**
 * When and why each item of one org × category will be deleted: the
 * forecast's rule per item, and for one item at a time a check of it now
 * (a hold, a pin or a notice period since the forecast), which replaces the
 * rule it restates.
 */
export function WhenWhyDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  orgId: number;
  orgName: string;
  category: RetentionCategory;
  horizonDays: 7 | 30 | 90;
}) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const [explaining, setExplaining] = useState<number | null>(null);
  const query = useQuery({
    ...trpc.deletions.items.queryOptions({
      orgId: props.orgId,
      category: props.category,
      horizonDays: props.horizonDays,
      page,
      pageSize: 20,
    }),
    enabled: props.open,
  });
  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title={`${CATEGORY_LABELS[props.category]} of ${props.orgName}`}
      description={`Items due within ${props.horizonDays} days, overdue ones first, and the rule that deletes each.`}
      wide
    >
      <QueryBoundary query={query} error="Items could not be loaded">
        {(data) => (
          <>
            <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
              {data.items.map((item) => (
                <li key={item.itemId} className="py-2">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="font-mono">#{item.itemId}</span>
                    <span>
                      {new Date(item.eligibleAt).getTime() <= Date.now()
                        ? `overdue since ${formatDate(item.eligibleAt)}, taken by the next run`
                        : `due ${formatDate(item.eligibleAt)}`}{" "}
                      · {formatBytes(item.bytes)}
                    </span>
                  </div>
                  {explaining === item.itemId ? (
                    <div className="mt-1 flex flex-col gap-2">
                      <p>
                        Checked now: <Explain category={props.category} itemId={item.itemId} />
                      </p>
                      <ItemPin category={props.category} itemId={item.itemId} />
                    </div>
                  ) : (
                    <>
                      <p className="text-zinc-600 dark:text-zinc-400">{item.reason}</p>
                      <Button variant="ghost" size="sm" onClick={() => setExplaining(item.itemId)}>
                        Check it now
                      </Button>
                    </>
                  )}
                </li>
              ))}
            </ul>
            <Pagination
              page={page}
              pageSize={20}
              total={data.total}
              onPage={setPage}
              label="Items"
            />
          </>
        )}
      </QueryBoundary>
    </Dialog>
  );
}
