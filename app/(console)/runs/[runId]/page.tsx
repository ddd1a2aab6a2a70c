import { isRecordUuid } from "@/server/record-uuid";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { RunDetail } from "@/components/runs/run-detail";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Purge run" };

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  if (!isRecordUuid(runId)) notFound();
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.purge.run.queryOptions({ runId })),
    queryClient.prefetchQuery(
      trpc.purge.runDetail.queryOptions({ runId, onlyProblems: false, page: 1, pageSize: 50 }),
    ),
  ]);
  return (
    <HydrateClient>
      <PageHeader title="Purge run" description={runId} />
      <RunDetail runId={runId} />
    </HydrateClient>
  );
}
