import type { Metadata } from "next";
import { EvidenceView } from "@/components/evidence/evidence-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Evidence" };

/** `/evidence?org=<id>` preselects the org (the org history page links here). */
export default async function EvidencePage(props: { searchParams: Promise<{ org?: string }> }) {
  const { org } = await props.searchParams;
  const orgId = org && /^[1-9]\d{0,9}$/.test(org) && Number(org) < 2 ** 31 ? Number(org) : null;
  return (
    <>
      <PageHeader
        title="Evidence"
        description="A signed pack of everything deleted in a period, reconciled with the run records and metrics, with the audit chain's verification and the policy in force on each day. Check it offline with npm run evidence:verify."
      />
      <EvidenceView initialOrgId={orgId} />
    </>
  );
}
