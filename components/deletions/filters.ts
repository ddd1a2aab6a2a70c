import type { Plan, RetentionCategory } from "@/server/generated/prisma/enums";
import { isoDay } from "@/server/calendar-day";
import type { upcomingSorts } from "@/server/trpc/schemas";

/** The Upcoming deletions page's filters, as the page and its export hold them (the rules their values follow: filter-rules.ts). */
export type DeletionFilters = {
  horizonDays: 7 | 30 | 90;
  plan: Plan | null;
  category: RetentionCategory | null;
  q: string;
  from: string | null;
  to: string | null;
  page: number;
  sort: { by: (typeof upcomingSorts)[number]; desc: boolean };
};

const PLANS: Plan[] = ["FREE", "BASIC", "PRO", "AGENCY", "ENTERPRISE"];

export function toSearchParams(f: DeletionFilters): URLSearchParams {
  const p = new URLSearchParams();
  p.set("horizon", String(f.horizonDays));
  if (f.plan) p.set("plan", f.plan);
  if (f.category) p.set("category", f.category);
  if (f.q) p.set("q", f.q);
  if (f.from) p.set("from", f.from);
  if (f.to) p.set("to", f.to);
  if (f.page > 1) p.set("page", String(f.page));
  if (f.sort.by !== "bytes") p.set("sort", f.sort.by);
  if (!f.sort.desc) p.set("dir", "asc");
  return p;
}

/** The procedures' input for these filters. */
export function forecastInput(f: DeletionFilters) {
  return {
    horizonDays: f.horizonDays,
    plans: f.plan ? [f.plan] : null,
    categories: f.category ? [f.category] : null,
    orgSearch: f.q || null,
    from: f.from,
    to: f.to,
  };
}

export const PAGE_SIZE = 25;
export const listInput = (f: DeletionFilters) => ({
  ...forecastInput(f),
  page: f.page,
  pageSize: PAGE_SIZE,
  sort: f.sort,
});
export { PLANS };

const REFRESH_POLL_MS = 5_000;

/** Both forecast views look again every few seconds while a newer forecast is being computed. */
export const pollWhileRefreshing = (query: { state: { data?: { refreshing: boolean } } }) =>
  query.state.data?.refreshing ? REFRESH_POLL_MS : false;

const DAY_MS = 86_400_000;

/**
 * The chart's days, every one of them (a day with nothing due is a bar of
 * nothing, not a gap in the axis): after the forecast's day to the horizon's
 * end, within the chosen range.
 */
export function chartDays(
  asOf: Date,
  horizonDays: number,
  range: { from: string | null; to: string | null },
) {
  const today = Date.parse(isoDay(asOf.getTime()));
  let first = isoDay(today + DAY_MS);
  let last = isoDay(today + horizonDays * DAY_MS);
  if (range.from && range.from > first) first = range.from;
  if (range.to && range.to < last) last = range.to;
  const days: string[] = [];
  for (let d = Date.parse(first); d <= Date.parse(last); d += DAY_MS) days.push(isoDay(d));
  return { first, last, days };
}
