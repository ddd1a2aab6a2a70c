"use client";

import { Download } from "lucide-react";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { CATEGORY_KEYS, CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { FilterBar, type FilterControl } from "../ui/filter-bar";
import { UnusedFilters } from "../ui/unused-filters";
import { PLANS, toSearchParams, type DeletionFilters } from "./filters";
import { ForecastChart } from "./forecast-chart";
import { UpcomingTable } from "./upcoming-table";

const CONTROLS: FilterControl<Omit<DeletionFilters, "page" | "sort">>[] = [
  {
    key: "horizonDays",
    kind: "choice",
    label: "Horizon",
    options: ([7, 30, 90] as const).map((days) => ({ value: days, label: `${days} days` })),
  },
  {
    key: "plan",
    kind: "select",
    label: "Plan",
    options: [{ value: null, label: "All plans" }, ...PLANS.map((p) => ({ value: p, label: p }))],
  },
  {
    key: "category",
    kind: "select",
    label: "Category",
    options: [
      { value: null, label: "All categories" },
      ...CATEGORY_KEYS.filter((c) => c !== "ORPHAN_OBJECTS").map((c) => ({
        value: c,
        label: CATEGORY_LABELS[c],
      })),
    ],
  },
  { key: "q", kind: "search", label: "Organization", placeholder: "Search by name", settles: true },
  { key: "from", kind: "date", label: "From" },
  { key: "to", kind: "date", label: "To" },
];

/*
 * The filters' rules arrive after the page's first paint: they are the
 * procedures' own schemas, and the schema library would be about a tenth of
 * the page's JavaScript. Until then the page shows the filters the server
 * read from the same address.
 */
let rules: Promise<typeof import("./filter-rules")> | null = null;
const loadRules = () => (rules ??= import("./filter-rules"));

function useFilterRules() {
  const [loaded, setLoaded] = useState<Awaited<ReturnType<typeof loadRules>> | null>(null);
  useEffect(() => {
    loadRules().then(setLoaded, () => (rules = null));
  }, []);
  return loaded;
}

export function DeletionsView({ initial }: { initial: DeletionFilters }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const loaded = useFilterRules();
  const { filters, unused } = loaded
    ? loaded.readFilters(new URLSearchParams(params.toString()))
    : { filters: initial, unused: [] };
  // Merged with the address bar, not this render's params: two quick changes
  // (plan, then category) must both stick, and a router transition would
  // still show the first change's stale params to the second.
  const update = (next: Partial<DeletionFilters>) =>
    void loadRules().then(
      ({ parseFilters }) => {
        const current = parseFilters(new URLSearchParams(window.location.search));
        const merged = { ...current, ...next };
        window.history.replaceState(null, "", `${pathname}?${toSearchParams(merged).toString()}`);
      },
      () => {
        rules = null;
        toast.error("The filters could not be changed: check the connection and try again.");
      },
    );
  const exportParams = toSearchParams({ ...filters, page: 1 });

  return (
    <>
      <UnusedFilters unused={unused} />
      <FilterBar
        filters={filters}
        // A horizon replaces the days picked within the old one.
        onChange={(next) =>
          update("horizonDays" in next ? { ...next, from: null, to: null } : next)
        }
        className="mb-6"
        controls={CONTROLS}
        actions={
          <a
            href={`/api/deletions/export?${exportParams.toString()}`}
            download
            className="ml-auto inline-flex h-9 items-center gap-2 rounded-md border border-zinc-300 px-3 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            <Download aria-hidden className="size-4" />
            Export CSV
          </a>
        }
      />
      <ForecastChart filters={filters} />
      <UpcomingTable filters={filters} onChange={update} />
    </>
  );
}
