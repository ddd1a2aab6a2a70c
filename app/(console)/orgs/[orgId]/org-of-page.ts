import { notFound } from "next/navigation";
import { getQueryClient, trpc } from "@/app/_trpc/server";
import { orgId as orgIdSchema } from "@/server/trpc/schemas";

/**
 * The org an /orgs/[orgId] page is about, for its heading to name: a page
 * that changes an org's settings must say whose. An id that is malformed
 * or names no org is the console's "not found" page.
 */
export async function orgOfPage(params: Promise<{ orgId: string }>) {
  const id = orgIdSchema.safeParse(Number((await params).orgId));
  if (!id.success) notFound();
  const { orgs } = await getQueryClient().fetchQuery(
    trpc.orgs.list.queryOptions({ id: id.data, page: 1, pageSize: 1 }),
  );
  const org = orgs[0];
  if (!org) notFound();
  return org;
}
