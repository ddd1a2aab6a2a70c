import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount } from "../format";

type WhatIf = inferRouterOutputs<AppRouter>["policies"]["whatIf"];

/** Current vs proposed: what becomes eligible now and within 30 days. */
export function WhatIfFigures({ data }: { data: WhatIf }) {
  const row = (label: string, c: WhatIf["current"]) => (
    <tr>
      <th scope="row" className="py-1 pr-3 text-left font-medium">
        {label}
      </th>
      <td className="py-1 pr-3 tabular-nums">
        {formatCount(c.now.items)} items · {formatBytes(c.now.bytes)}
      </td>
      <td className="py-1 tabular-nums">
        {formatCount(c.next30Days.items)} items · {formatBytes(c.next30Days.bytes)}
      </td>
    </tr>
  );
  return (
    <table className="mt-2 text-sm" data-testid="what-if">
      <caption className="sr-only">What the window makes eligible</caption>
      <thead className="text-xs text-zinc-500 uppercase">
        <tr>
          <th />
          <th scope="col" className="pr-3 text-left">
            Eligible now
          </th>
          <th scope="col" className="text-left">
            Within 30 days
          </th>
        </tr>
      </thead>
      <tbody>
        {row("Current window", data.current)}
        {row("Proposed window", data.proposed)}
      </tbody>
    </table>
  );
}
