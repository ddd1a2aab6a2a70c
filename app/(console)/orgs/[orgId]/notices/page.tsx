import type { Metadata } from "next";
import Link from "next/link";
import { getQueryClient, HydrateClient, trpc } from "@/app/_trpc/server";
import { NoticesView } from "@/components/notices/notices-view";
import { PageHeader } from "@/components/ui/page-header";
import { orgOfPage } from "../org-of-page";

export const metadata: Metadata = { title: "Notices" };

export default async function OrgNoticesPage({ params }: { params: Promise<{ orgId: string }> }) {
  const org = await orgOfPage(params);
  await getQueryClient().fetchQuery(trpc.notices.settings.queryOptions({ orgId: org.id }));
  return (
    <HydrateClient>
      <PageHeader
        title={`Notices · ${org.name}`}
        description={`${org.name} (${org.plan}) hears once, before its items fall due: a signed webhook and an email, its lead time ahead.`}
      />
      <p className="mb-4 text-sm">
        <Link className="text-sky-700 underline dark:text-sky-400" href={`/orgs/${org.id}/history`}>
          Retention history of {org.name}
        </Link>
      </p>
      <NoticesView orgId={org.id} />
    </HydrateClient>
  );
}
