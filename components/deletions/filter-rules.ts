import { z } from "zod";
import {
  calendarDay,
  category,
  horizonDays,
  paging,
  plan,
  rangeInOrder,
  upcomingSorts,
} from "@/server/trpc/schemas";
import type { DeletionFilters } from "./filters";

/*
 * The rules the filters' values follow, apart from the rest of filters.ts:
 * they bring the schema library, which the page loads after its first paint.
 */

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
