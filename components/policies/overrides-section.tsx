"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import dynamic from "next/dynamic";
import { toast } from "sonner";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatDate } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { column, figureColumn } from "../ui/columns";
import { GovernedList } from "./governed-list";

/*
 * The form arrives after the page, folded until an admin opens it: it checks
 * as it is typed with the procedure's own schema, and the schema library is
 * about a tenth of a console page's JavaScript.
 */
const OverrideForm = dynamic(() => import("./override-form").then((m) => m.OverrideForm), {
  ssr: false,
});

type Override = inferRouterOutputs<AppRouter>["policies"]["overrides"][number];

const columns: ColumnDef<Override, unknown>[] = [
  column("Organization", "org", (o) => (
    <>
      {o.orgName} <Badge>{o.plan}</Badge>
    </>
  )),
  column("Category", "category", (o) => CATEGORY_LABELS[o.category]),
  figureColumn("Window", "window", (o) => (o.days === null ? "∞" : `${o.days} d`)),
  figureColumn("Plan bounds", "bounds", (o) =>
    o.bounds ? `${o.bounds.floor}–${o.bounds.ceiling ?? "∞"} d` : "—",
  ),
  column("Reason", "reason", (o) => o.reason, { wrap: true }),
  column("Since", "since", (o) => formatDate(o.updatedAt)),
];

export function OverridesSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.policies.overrides.queryOptions());
  const clear = useMutation(
    trpc.policies.clearOverride.mutationOptions({
      onSuccess: async () => {
        toast.success("Override cleared: the plan's window applies again.");
        await queryClient.invalidateQueries({ queryKey: trpc.policies.overrides.queryKey() });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <GovernedList
      title="Org overrides"
      query={query}
      error="Overrides could not be loaded"
      end={{
        label: "Clear",
        pending: clear.isPending,
        run: (o) => clear.mutate({ orgId: o.orgId, category: o.category }),
      }}
      table={{
        caption: "Org overrides",
        columns,
        empty: "No org overrides: every org follows its plan.",
      }}
      form={{
        summary: "Set an override",
        refusal: "Only admins set overrides.",
        children: <OverrideForm />,
      }}
    />
  );
}
