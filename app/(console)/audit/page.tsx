import type { Metadata } from "next";
import { Suspense } from "react";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { auditListInput, parseAuditFilters } from "@/components/audit/audit-filters";
import { AuditView } from "@/components/audit/audit-view";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingBlock } from "@/components/ui/states";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = await searchParams;
  const filters = parseAuditFilters(
    new URLSearchParams(
      Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
    ),
  );
  await getQueryClient().prefetchQuery(trpc.audit.list.queryOptions(auditListInput(filters)));
  return (
    <HydrateClient>
      <PageHeader
        title="Audit log"
        description="Who did what, to which organizations and when, with counts; append-only and hash-chained."
      />
      <Suspense fallback={<LoadingBlock />}>
        <AuditView />
      </Suspense>
    </HydrateClient>
  );
}
