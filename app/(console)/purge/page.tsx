import type { Metadata } from "next";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { ScopeForm } from "@/components/purge/scope-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Dry run & purge" };

export default async function PurgePage() {
  await getQueryClient().prefetchQuery(trpc.orgs.list.queryOptions({ page: 1, pageSize: 100 }));
  return (
    <HydrateClient>
      <PageHeader
        title="Dry run & purge"
        description="Choose a scope, preview exactly what would go and why, then confirm that preview."
      />
      <ScopeForm />
    </HydrateClient>
  );
}
