import type { Metadata } from "next";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { IncidentList } from "@/components/incidents/incident-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Incidents" };

export default async function IncidentsPage() {
  await getQueryClient().prefetchQuery(trpc.incidents.list.queryOptions({ page: 1, pageSize: 25 }));
  return (
    <HydrateClient>
      <PageHeader
        title="Incidents"
        description="Drift incidents and their lifecycle; detail stays readable after the payload is purged."
      />
      <IncidentList />
    </HydrateClient>
  );
}
