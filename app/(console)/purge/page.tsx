import type { Metadata } from "next";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { OpenPreviews } from "@/components/purge/open-previews";
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
      <div className="flex flex-col gap-6">
        <OpenPreviews />
        <ScopeForm />
      </div>
    </HydrateClient>
  );
}
