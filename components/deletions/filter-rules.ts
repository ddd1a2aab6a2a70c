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
import type { UnusedFilter } from "../ui/unused-filters";
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
 * a value the page cannot use (a hand-edited link) falls back to its
 * default, and is listed in `unused` with its rule's message to say so.
 */
export function readFilters(params: URLSearchParams) {
  const query = queryOf(params);
  const unused: UnusedFilter[] = [];
  for (;;) {
    const parsed = filtersQuery.safeParse(query);
    if (parsed.success) return { filters: toFilters(parsed.data), unused };
    // The range's order is checked only once both ends parse: look again.
    const found = parsed.error.issues.filter((issue) => String(issue.path[0]) in query);
    if (found.length === 0) return { filters: toFilters({}), unused };
    for (const issue of found) {
      const key = String(issue.path[0]);
      if (!(key in query)) continue;
      unused.push({ key, value: query[key] ?? "", why: issue.message });
      delete query[key];
    }
  }
}

export const parseFilters = (params: URLSearchParams) => readFilters(params).filters;

/** The same filters for an API caller, who is told which parameter is wrong instead. */
export function parseFiltersStrictly(params: URLSearchParams) {
  const parsed = filtersQuery.safeParse(queryOf(params));
  return parsed.success
    ? { filters: toFilters(parsed.data), error: null }
    : { filters: null, error: parsed.error };
}
