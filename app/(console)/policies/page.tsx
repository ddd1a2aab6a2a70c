import type { Metadata } from "next";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { HoldsSection } from "@/components/policies/holds-section";
import { OverridesSection } from "@/components/policies/overrides-section";
import { PlanWhatIf } from "@/components/policies/plan-what-if";
import { PolicyTable } from "@/components/policies/policy-table";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage() {
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.policies.table.queryOptions()),
    queryClient.prefetchQuery(trpc.policies.overrides.queryOptions()),
    queryClient.prefetchQuery(trpc.holds.list.queryOptions({ active: true })),
  ]);
  return (
    <HydrateClient>
      <PageHeader
        title="Policies"
        description="Retention windows by plan, org overrides inside the plan's bounds, and legal holds."
      />
      <PolicyTable />
      <PlanWhatIf />
      <OverridesSection />
      <HoldsSection />
    </HydrateClient>
  );
}
