import type { Metadata } from "next";
import { Suspense } from "react";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { DeletionsView } from "@/components/deletions/deletions-view";
import { parseFilters } from "@/components/deletions/filter-rules";
import { forecastInput, listInput } from "@/components/deletions/filters";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingBlock } from "@/components/ui/states";

export const metadata: Metadata = { title: "Upcoming deletions" };

export default async function DeletionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = await searchParams;
  const filters = parseFilters(
    new URLSearchParams(
      Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
    ),
  );
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.deletions.forecast.queryOptions(forecastInput(filters))),
    queryClient.prefetchQuery(trpc.deletions.list.queryOptions(listInput(filters))),
  ]);
  return (
    <HydrateClient>
      <PageHeader
        title="Upcoming deletions"
        description="What the daily purge will delete over the coming days, and why."
      />
      <Suspense fallback={<LoadingBlock />}>
        <DeletionsView initial={filters} />
      </Suspense>
    </HydrateClient>
  );
}
