import type { Metadata } from "next";
import { ReviewView } from "@/components/review/review-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Review" };

export default function ReviewPage() {
  return (
    <>
      <PageHeader
        title="Review"
        description="The guard paused these tasks of the daily run before they deleted anything: a count far above its org's recent daily runs, or the extra items a shortened window makes eligible. Approve and the next worker deletes them; reject and they stay, counted as skipped."
      />
      <ReviewView />
    </>
  );
}
