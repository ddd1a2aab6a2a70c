import { apiCaller } from "@/app/api/_lib/http";
import { forecastInput, parseFilters } from "@/components/deletions/filters";
import { appEngine } from "@/server/engine";
import { after } from "next/server";
import { upcomingByOrg } from "@/server/retention/forecast";
import { currentForecast } from "@/server/retention/forecast-snapshot";

export const dynamic = "force-dynamic";

const csvCell = (value: string | number | bigint) => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The Upcoming deletions table under the same filters, every page of it, as CSV. */
export async function GET(request: Request) {
  const caller = await apiCaller(request, "read");
  if (caller instanceof Response) return caller;
  const filters = parseFilters(new URL(request.url).searchParams);
  const engine = await appEngine();
  const now = engine.now();
  // One snapshot for every page, so the file is one consistent picture.
  const forecast = await currentForecast(engine.db, engine.settings, now, after);
  const lines = ["organization_id,organization,plan,category,items,bytes,first_due,last_due"];
  for (let offset = 0; ; offset += 5000) {
    const page = await upcomingByOrg(engine.db, forecast, forecastInput(filters), now, {
      offset,
      limit: 5000,
      sort: filters.sort,
    });
    for (const r of page.rows) {
      lines.push(
        [r.orgId, r.orgName, r.plan, r.category, r.items, r.bytes, r.firstDay, r.lastDay]
          .map(csvCell)
          .join(","),
      );
    }
    if (page.rows.length < 5000) break;
  }
  return new Response(lines.join("\n") + "\n", {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="lethe-upcoming-deletions-${filters.horizonDays}d.csv"`,
      "cache-control": "no-store",
    },
  });
}
