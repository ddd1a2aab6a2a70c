import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { historyInput } from "@/components/orgs/history-input";
import { OrgHistory } from "@/components/orgs/org-history";
import { PageHeader } from "@/components/ui/page-header";
import { idFromPath } from "@/server/record-id";

export const metadata: Metadata = { title: "Retention history" };

export default async function OrgHistoryPage({ params }: { params: Promise<{ orgId: string }> }) {
  const orgId = idFromPath((await params).orgId);
  if (orgId === null) notFound();
  const first = trpc.orgs.history.queryOptions(
    historyInput(orgId, { kind: "", from: null, to: null }),
  );
  try {
    await getQueryClient().fetchQuery(first);
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <PageHeader
        title="Retention history"
        description="Runs and what each deleted, restores, previews, legal holds, overrides and GDPR erasures, newest first."
        actions={
          <Link
            className="text-sm text-sky-700 underline dark:text-sky-400"
            href={`/orgs/${orgId}/exports`}
          >
            Exports
          </Link>
        }
      />
      <OrgHistory orgId={orgId} />
    </HydrateClient>
  );
}
