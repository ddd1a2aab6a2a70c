import type { Metadata } from "next";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { OrgTable } from "@/components/overview/org-table";
import { RunStatus } from "@/components/overview/run-status";
import { StorageCharts } from "@/components/overview/storage-charts";
import { StorageTotals } from "@/components/overview/storage-totals";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.overview.status.queryOptions()),
    queryClient.prefetchQuery(trpc.overview.storage.queryOptions()),
    queryClient.prefetchQuery(trpc.orgs.list.queryOptions({ page: 1, pageSize: 50 })),
  ]);
  return (
    <HydrateClient>
      <PageHeader
        title="Overview"
        description="What Lethe governs, what it stores now, and how the daily purge is doing."
      />
      <RunStatus />
      <StorageTotals />
      <StorageCharts />
      <OrgTable />
    </HydrateClient>
  );
}
