import type { Metadata } from "next";
import { ErasureView } from "@/components/erasure/erasure-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "GDPR erasure" };

export default function ErasurePage() {
  return (
    <>
      <PageHeader
        title="GDPR erasure"
        description="Erase all of an org's artifacts, or one member's, regardless of age and plan. One admin requests; a different admin previews and approves."
      />
      <ErasureView />
    </>
  );
}
