import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { EnvironmentDetail } from "@/components/environments/environment-detail";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Environment" };

export default async function EnvironmentPage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  await getQueryClient().prefetchQuery(trpc.environments.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <PageHeader title="Environment" description="Its drift checks, newest first." />
      <EnvironmentDetail id={id} />
    </HydrateClient>
  );
}
