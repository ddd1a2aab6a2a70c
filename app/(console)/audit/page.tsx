import type { Metadata } from "next";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { AuditView } from "@/components/audit/audit-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  await getQueryClient().prefetchQuery(trpc.audit.list.queryOptions({ page: 1, pageSize: 50 }));
  return (
    <HydrateClient>
      <PageHeader
        title="Audit log"
        description="Who did what and when, with counts; append-only and hash-chained."
      />
      <AuditView />
    </HydrateClient>
  );
}
