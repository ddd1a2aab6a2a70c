import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ExportsView } from "@/components/exports/exports-view";
import { PageHeader } from "@/components/ui/page-header";
import { orgId as orgIdSchema } from "@/server/trpc/schemas";

export const metadata: Metadata = { title: "Exports" };

export default async function OrgExportsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const orgId = orgIdSchema.safeParse(Number((await params).orgId));
  if (!orgId.success) notFound();
  return (
    <>
      <PageHeader
        title="Exports"
        description="An archive of what this organization's categories will delete within the next days, built in the background, downloadable through a signed link for 7 days, then deleted."
      />
      <ExportsView orgId={orgId.data} />
    </>
  );
}
