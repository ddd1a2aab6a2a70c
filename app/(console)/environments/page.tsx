import type { Metadata } from "next";
import { Suspense } from "react";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { EnvironmentList } from "@/components/environments/environment-list";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingBlock } from "@/components/ui/states";

export const metadata: Metadata = { title: "Environments" };

export default async function EnvironmentsPage() {
  await getQueryClient().prefetchQuery(
    trpc.environments.list.queryOptions({ page: 1, pageSize: 50 }),
  );
  return (
    <HydrateClient>
      <PageHeader
        title="Environments"
        description="Drift state from each environment's latest retained check."
      />
      <Suspense fallback={<LoadingBlock />}>
        <EnvironmentList />
      </Suspense>
    </HydrateClient>
  );
}
