import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { NoticesView } from "@/components/notices/notices-view";
import { PageHeader } from "@/components/ui/page-header";
import { orgId as orgIdSchema } from "@/server/trpc/schemas";

export const metadata: Metadata = { title: "Notices" };

export default async function OrgNoticesPage({ params }: { params: Promise<{ orgId: string }> }) {
  const orgId = orgIdSchema.safeParse(Number((await params).orgId));
  if (!orgId.success) notFound();
  try {
    await getQueryClient().fetchQuery(trpc.notices.settings.queryOptions({ orgId: orgId.data }));
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <PageHeader
        title="Notices"
        description="The org hears once, before its items fall due: a signed webhook and an email, its lead time ahead."
      />
      <p className="mb-4 text-sm">
        <Link
          className="text-sky-700 underline dark:text-sky-400"
          href={`/orgs/${orgId.data}/history`}
        >
          Retention history of this org
        </Link>
      </p>
      <NoticesView orgId={orgId.data} />
    </HydrateClient>
  );
}
