import { after } from "next/server";
import { apiCaller, download, problem } from "@/app/api/_lib/http";
import { parseFiltersStrictly } from "@/components/deletions/filter-rules";
import { forecastInput, type DeletionFilters } from "@/components/deletions/filters";
import { csvFile } from "@/server/csv";
import { appEngine } from "@/server/app-engine";
import type { Db } from "@/server/db";
import { upcomingByOrg } from "@/server/retention/forecast/upcoming";
import { currentForecast, type ForecastSnapshotRef } from "@/server/retention/forecast/snapshot";
import { describeZodError } from "@/server/errors";

export const dynamic = "force-dynamic";

const PAGE = 5000;
const HEADER = [
  "organization_id",
  "organization",
  "plan",
  "category",
  "items",
  "bytes",
  "first_due",
  "last_due",
];

/** Every row of the table under `filters`, all from one snapshot: one consistent picture. */
async function* upcomingRows(
  db: Db,
  forecast: ForecastSnapshotRef,
  filters: DeletionFilters,
  now: Date,
) {
  for (let offset = 0; ; offset += PAGE) {
    const page = await upcomingByOrg(db, forecast, forecastInput(filters), now, {
      offset,
      limit: PAGE,
      sort: filters.sort,
    });
    for (const r of page.rows)
      yield [r.orgId, r.orgName, r.plan, r.category, r.items, r.bytes, r.firstDay, r.lastDay];
    if (page.rows.length < PAGE) break;
  }
  // A refresh drops older snapshots: one gone now may have been gone for the
  // later pages, which then came back short. Such a file must not end cleanly.
  if (!(await db.forecastSnapshot.findUnique({ where: { id: forecast.id } })))
    throw new Error("The forecast was recomputed during the export; download it again.");
}

/** The Upcoming deletions table under the same filters, every page of it, as CSV (server/csv.ts). */
export async function GET(request: Request) {
  const caller = await apiCaller(request, "read");
  if (caller instanceof Response) return caller;
  const { filters, error } = parseFiltersStrictly(new URL(request.url).searchParams);
  if (!filters)
    return problem(400, `Invalid input: ${describeZodError(error)}`, { code: "BAD_INPUT" });
  const engine = await appEngine();
  const now = engine.now();
  const forecast = await currentForecast(engine.db, engine.settings, now, after);
  return download(csvFile(HEADER, upcomingRows(engine.db, forecast, filters, now)), {
    type: "text/csv; charset=utf-8",
    name: `lethe-upcoming-deletions-${filters.horizonDays}d.csv`,
  });
}
