import { isRecordUuid } from "@/server/record-uuid";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { PlanPreview } from "@/components/purge/plan-preview";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Dry run" };

export default async function PlanPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  if (!isRecordUuid(planId)) notFound();
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
