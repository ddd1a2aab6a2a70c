import { z } from "zod";
import type { Plan, RetentionCategory } from "@/server/generated/prisma/enums";
import {
  calendarDay,
  category,
  horizonDays,
  paging,
  plan,
  rangeInOrder,
  upcomingSorts,
} from "@/server/trpc/schemas";

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

/** The filters as URL parameters, each with the procedures' own rule for its value. */
export const filtersQuery = rangeInOrder(
  z
    .object({
      horizon: z.coerce.number({ error: "must be 7, 30 or 90 days" }).pipe(horizonDays),
      plan,
      category,
      q: z.string().max(100, "is too long (100 characters at most)"),
      from: calendarDay,
      to: calendarDay,
      page: z.coerce.number({ error: "must be a page number" }).pipe(paging.page.unwrap()),
      sort: z.enum(upcomingSorts, { error: `must be one of ${upcomingSorts.join(", ")}` }),
      dir: z.enum(["asc", "desc"], { error: "must be asc or desc" }),
    })
    .partial(),
);

/** The parameters this page reads; an empty one counts as absent. */
function queryOf(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of filtersQuery.keyof().options) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  return query;
}

function toFilters(query: z.output<typeof filtersQuery>): DeletionFilters {
  return {
    horizonDays: query.horizon ?? 30,
    plan: query.plan ?? null,
    category: query.category ?? null,
    q: query.q ?? "",
    from: query.from ?? null,
    to: query.to ?? null,
    page: query.page ?? 1,
    sort: { by: query.sort ?? "bytes", desc: query.dir !== "asc" },
  };
}

/**
 * The page's filters live in the URL, so a view can be shared and reloaded;
 * a value the page cannot use (a hand-edited link) falls back to its default.
 */
export function parseFilters(params: URLSearchParams): DeletionFilters {
  const query = queryOf(params);
  for (;;) {
    const parsed = filtersQuery.safeParse(query);
    if (parsed.success) return toFilters(parsed.data);
    // The range's order is checked only once both ends parse: look again.
    const unusable = parsed.error.issues.map((issue) => String(issue.path[0]));
    if (!unusable.some((key) => key in query)) return toFilters({});
    for (const key of unusable) delete query[key];
  }
}

/** The same filters for an API caller, who is told which parameter is wrong instead. */
export function parseFiltersStrictly(params: URLSearchParams) {
  const parsed = filtersQuery.safeParse(queryOf(params));
  return parsed.success
    ? { filters: toFilters(parsed.data), error: null }
    : { filters: null, error: parsed.error };
}

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
