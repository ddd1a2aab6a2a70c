import type { Metadata } from "next";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { RunList } from "@/components/runs/run-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Purge runs" };

export default async function RunsPage() {
  await getQueryClient().prefetchQuery(trpc.purge.runs.queryOptions({ page: 1, pageSize: 25 }));
  return (
    <HydrateClient>
      <PageHeader
        title="Purge runs"
        description="Every purge, daily or on demand: what it deleted, skipped and freed, with its manifest."
      />
      <RunList />
    </HydrateClient>
  );
}
