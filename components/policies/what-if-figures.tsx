import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount } from "../format";
import { DataTable } from "../ui/data-table";

type WhatIf = inferRouterOutputs<AppRouter>["policies"]["whatIf"];
type Eligible = WhatIf["current"]["now"];
type Row = { window: string; figures: WhatIf["current"] };

const eligible = (e: Eligible) => `${formatCount(e.items)} items · ${formatBytes(e.bytes)}`;

const columns: ColumnDef<Row, unknown>[] = [
  {
    header: () => <span className="sr-only">Window</span>,
    accessorKey: "window",
    meta: { rowHeader: true },
  },
  { header: "Eligible now", id: "now", cell: ({ row }) => eligible(row.original.figures.now) },
  {
    header: "Within 30 days",
    id: "next30Days",
    cell: ({ row }) => eligible(row.original.figures.next30Days),
  },
];

/** Current vs proposed: what becomes eligible now and within 30 days. */
export function WhatIfFigures({ data }: { data: WhatIf }) {
  return (
    <DataTable
      flush
      caption="What the window makes eligible"
      columns={columns}
      data={[
        { window: "Current window", figures: data.current },
        { window: "Proposed window", figures: data.proposed },
      ]}
      testId="what-if"
      className="mt-2"
    />
  );
}
