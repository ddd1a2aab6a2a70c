import type { Metadata } from "next";
import { ExportsView } from "@/components/exports/exports-view";
import { PageHeader } from "@/components/ui/page-header";
import { orgOfPage } from "../org-of-page";

export const metadata: Metadata = { title: "Exports" };

export default async function OrgExportsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const org = await orgOfPage(params);
  return (
    <>
      <PageHeader
        title={`Exports · ${org.name}`}
        description={`An archive of what ${org.name} (${org.plan}) will have deleted within the next days, built in the background, downloadable through a signed link for 7 days, then deleted.`}
      />
      <ExportsView orgId={org.id} />
    </>
  );
}
