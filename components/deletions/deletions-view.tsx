"use client";

import { Download } from "lucide-react";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import type { Plan, RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_KEYS, CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { Card } from "../ui/card";
import { Field, Input, Select } from "../ui/field";
import { Segmented } from "../ui/segmented";
import { parseFilters, PLANS, toSearchParams, type DeletionFilters } from "./filters";
import { ForecastChart } from "./forecast-chart";
import { UpcomingTable } from "./upcoming-table";

export function DeletionsView() {
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = parseFilters(new URLSearchParams(params.toString()));
  const [search, setSearch] = useState(filters.q);
  // Merged with the address bar, not this render's params: two quick changes
  // (plan, then category) must both stick, and a router transition would
  // still show the first change's stale params to the second.
  const update = (next: Partial<DeletionFilters>) => {
    const current = parseFilters(new URLSearchParams(window.location.search));
    const merged = { ...current, page: 1, ...next };
    window.history.replaceState(null, "", `${pathname}?${toSearchParams(merged).toString()}`);
  };
  // Search applies once typing pauses, not on every keystroke.
  useEffect(() => {
    if (search === filters.q) return;
    const timer = setTimeout(() => update({ q: search }), 300);
    return () => clearTimeout(timer);
  });
  const exportParams = toSearchParams({ ...filters, page: 1 });

  return (
    <>
      <Card className="mb-6">
        <div className="flex flex-wrap items-end gap-3">
          <Field id="horizon" label="Horizon">
            <Segmented
              label="Horizon"
              value={filters.horizonDays}
              onChange={(horizonDays) => update({ horizonDays, from: null, to: null })}
              options={[
                { value: 7, label: "7 days" },
                { value: 30, label: "30 days" },
                { value: 90, label: "90 days" },
              ]}
            />
          </Field>
          <Field id="filter-plan" label="Plan">
            <Select
              id="filter-plan"
              value={filters.plan ?? ""}
              onChange={(e) => update({ plan: (e.target.value || null) as Plan | null })}
            >
              <option value="">All plans</option>
              {PLANS.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </Select>
          </Field>
          <Field id="filter-category" label="Category">
            <Select
              id="filter-category"
              value={filters.category ?? ""}
              onChange={(e) =>
                update({ category: (e.target.value || null) as RetentionCategory | null })
              }
            >
              <option value="">All categories</option>
              {CATEGORY_KEYS.filter((c) => c !== "ORPHAN_OBJECTS").map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABELS[c]}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="filter-org" label="Organization">
            <Input
              id="filter-org"
              placeholder="Search by name"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </Field>
          <Field id="filter-from" label="From">
            <Input
              id="filter-from"
              type="date"
              value={filters.from ?? ""}
              onChange={(e) => update({ from: e.target.value || null })}
            />
          </Field>
          <Field id="filter-to" label="To">
            <Input
              id="filter-to"
              type="date"
              value={filters.to ?? ""}
              onChange={(e) => update({ to: e.target.value || null })}
            />
          </Field>
          <a
            href={`/api/deletions/export?${exportParams.toString()}`}
            download
            className="ml-auto inline-flex h-9 items-center gap-2 rounded-md border border-zinc-300 px-3 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            <Download aria-hidden className="size-4" />
            Export CSV
          </a>
        </div>
      </Card>
      <ForecastChart filters={filters} />
      <UpcomingTable filters={filters} onChange={update} />
    </>
  );
}
