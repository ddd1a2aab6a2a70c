"use client";

import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDate } from "../format";
import { Badge } from "../ui/badge";
import { Card, CardTitle } from "../ui/card";
import { column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import type { Paging } from "../ui/pagination";

type Plan = inferRouterOutputs<AppRouter>["purge"]["plan"];
type Entry = Plan["entries"][number];

const columns: ColumnDef<Entry, unknown>[] = [
  column("Organization", "org", (e) => (
    <>
      {e.orgName} {e.plan ? <Badge>{e.plan}</Badge> : null}
    </>
  )),
  column("Category", "category", (e) => CATEGORY_LABELS[e.category]),
  figureColumn("Items", "items", (e) => formatCount(e.itemCount)),
  figureColumn("Bytes", "bytes", (e) => formatBytes(e.bytes)),
  figureColumn(
    "Share",
    "share",
    (e) => `${Math.round((e.itemCount / Math.max(1, e.totalItems)) * 100)}%`,
  ),
  column("Cutoff", "cutoff", (e) =>
    e.cutoff ? formatDate(e.cutoff) : e.windowDays === null ? "—" : "",
  ),
  column("Once purged", "undo", (e) =>
    e.restoreDays === null
      ? "archived, kept"
      : e.restoreDays > 0
        ? `restorable ${e.restoreDays} days`
        : "gone for good",
  ),
  column("Sample and reasons", "sample", (e) => <Sample entry={e} />, { wrap: true }),
];

/** A few of an entry's items, each with the rule that makes it eligible. */
function Sample({ entry: e }: { entry: Entry }) {
  return (
    <details>
      <summary className="cursor-pointer">
        {e.sample.length} of {formatCount(e.itemCount)}
      </summary>
      <ul className="mt-1 space-y-1">
        {e.sample.map((s) => (
          <li key={s.itemId ?? s.objectKey}>
            <span className="font-mono">{s.itemId ? `#${s.itemId}` : s.objectKey}</span> —{" "}
            {s.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** What the plan would delete, one organization × category a row, a page at a time. */
export function PlanEntries({ plan: p, paging }: { plan: Plan; paging: Paging }) {
  return (
    <Card>
      <CardTitle>By organization and category</CardTitle>
      <DataTable
        flush
        alignTop
        caption="What the plan would delete per organization and category, with a sample and reasons"
        columns={columns}
        data={p.entries}
        rowTestId="plan-entry"
        empty={
          p.manifestRemovedAt
            ? `This preview's entries and items were deleted when it ${p.status === "DISCARDED" ? "was discarded" : "expired"}.`
            : "Nothing in this scope is eligible now: nothing is past its window, or what is stays under a legal hold or a pin (see Policies)."
        }
        paging={paging}
      />
    </Card>
  );
}
