import { notFound } from "next/navigation";
import { getQueryClient, trpc } from "@/app/_trpc/server";
import { idFromPath } from "@/server/record-id";

/**
 * The org an /orgs/[orgId] page is about, for its heading to name: a page
 * that changes an org's settings must say whose. An id that is malformed
 * or names no org is the console's "not found" page.
 */
export async function orgOfPage(params: Promise<{ orgId: string }>) {
  const id = idFromPath((await params).orgId);
  if (id === null) notFound();
  const { orgs } = await getQueryClient().fetchQuery(
    trpc.orgs.list.queryOptions({ id, page: 1, pageSize: 1 }),
  );
  const org = orgs[0];
  if (!org) notFound();
  return org;
}
