"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDateTime } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { QueryBoundary } from "../ui/query-boundary";

type Row = inferRouterOutputs<AppRouter>["notices"]["log"]["rows"][number];
type Delivery = Row["deliveries"][number];

const CHANNEL = { WEBHOOK: "Webhook", EMAIL: "Email" } as const;

/** Sent; retrying (attempt n) with the last error; failed with why. */
function DeliveryState({ delivery }: { delivery: Delivery }) {
  const name = CHANNEL[delivery.channel];
  if (delivery.status === "SENT")
    return (
      <Badge tone="good">
        {name}: sent {delivery.sentAt ? formatDateTime(delivery.sentAt) : ""}
      </Badge>
    );
  if (delivery.status === "FAILED")
    return (
      <Badge tone="bad">
        {name}: failed after {delivery.attempts} attempts: {delivery.lastError}
      </Badge>
    );
  if (delivery.attempts === 0) return <Badge tone="info">{name}: queued</Badge>;
  return (
    <Badge tone="warn">
      {name}: retrying (attempt {delivery.attempts + 1}){" "}
      {delivery.lastError ? `after: ${delivery.lastError}` : ""}
    </Badge>
  );
}

const COLUMNS: ColumnDef<Row, unknown>[] = [
  column("Written", "created", (n) => formatDateTime(n.createdAt)),
  // The id a tenant quotes: its email ends with it, its webhook's webhook-id is it.
  column("Notice", "id", (n) => (
    <span className="font-mono text-xs" title={n.id}>
      {n.id.slice(0, 8)}
    </span>
  )),
  column("First due", "due", (n) => n.firstDueDate),
  figureColumn("Items", "items", (n) => formatCount(n.items)),
  figureColumn("Bytes", "bytes", (n) => formatBytes(n.bytes)),
  column("Categories", "categories", (n) =>
    n.categories.map((c) => `${CATEGORY_LABELS[c.category]} ${formatCount(c.items)}`).join(", "),
  ),
  column("Deliveries", "deliveries", (n) => (
    <span className="flex flex-col items-start gap-1">
      {n.deliveries.map((d) => (
        <DeliveryState key={d.channel} delivery={d} />
      ))}
    </span>
  )),
];

const PAGE_SIZE = 20;

/** Each notice the org was sent, newest first, with how each channel fared. */
export function DeliveryLog({ orgId }: { orgId: number }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const log = useQuery(trpc.notices.log.queryOptions({ orgId, page, pageSize: PAGE_SIZE }));
  return (
    <QueryBoundary query={log} error="The delivery log could not be loaded">
      {(data) => (
        <DataTable
          columns={COLUMNS}
          data={data.rows}
          caption="Notices sent to this organization"
          empty="No notice yet: one is written by the daily run when items fall due within the lead time."
          rowTestId="notice-row"
          paging={{
            page,
            pageSize: PAGE_SIZE,
            total: data.total,
            onPage: setPage,
            label: "Notices",
          }}
        />
      )}
    </QueryBoundary>
  );
}
