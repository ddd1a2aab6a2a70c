import type { Metadata } from "next";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { StorageView } from "@/components/storage/storage-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Storage" };

export default async function StoragePage() {
  await getQueryClient().prefetchQuery(trpc.storage.history.queryOptions({ days: 180 }));
  return (
    <HydrateClient>
      <PageHeader
        title="Storage"
        description="Stored bytes over time from the daily snapshots, bytes freed by runs, and where current policies take it."
      />
      <StorageView />
    </HydrateClient>
  );
}
