import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { PlanPreview } from "@/components/purge/plan-preview";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Dry run" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function PlanPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  if (!UUID.test(planId)) notFound();
  await getQueryClient().prefetchQuery(
    trpc.purge.plan.queryOptions({ planId, page: 1, pageSize: 20 }),
  );
  return (
    <HydrateClient>
      <PageHeader
        title="Dry run"
        description="What this plan deletes, frozen when it was computed."
      />
      <PlanPreview planId={planId} />
    </HydrateClient>
  );
}
