import type { Metadata } from "next";
import { TokensView } from "@/components/tokens/tokens-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "API tokens" };

export default function TokensPage() {
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Bearer tokens for the API: READ downloads run manifests and the Upcoming deletions CSV; PURGE (admins only) also starts a purge. Each expires, and can be revoked at once."
      />
      <TokensView />
    </>
  );
}
