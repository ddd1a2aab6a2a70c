import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { IncidentDetail } from "@/components/incidents/incident-detail";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Incident" };

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  await getQueryClient().prefetchQuery(trpc.incidents.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <PageHeader title={`Incident #${id}`} />
      <IncidentDetail id={id} />
    </HydrateClient>
  );
}
