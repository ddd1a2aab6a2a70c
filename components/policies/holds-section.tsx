"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { toast } from "sonner";
import type { AppRouter } from "@/server/trpc/root";
import { formatDate } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { column } from "../ui/columns";
import { GovernedList } from "./governed-list";
import { PlaceHoldForm } from "./place-hold-form";

type Hold = inferRouterOutputs<AppRouter>["holds"]["list"][number];

const columns: ColumnDef<Hold, unknown>[] = [
  column("Hold", "hold", (h) => (
    <>
      #{h.id} <Badge tone="warn">{h.scope.toLowerCase()}</Badge>
    </>
  )),
  column(
    "Covers",
    "covers",
    (h) =>
      `${h.orgName}${h.incidentId ? ` · incident ${h.incidentId}` : ""}${h.artifactId ? ` · artifact ${h.artifactId}` : ""}`,
    { wrap: true },
  ),
  column("Reason", "reason", (h) => h.reason, { wrap: true }),
  column("Placed", "placed", (h) => `${formatDate(h.placedAt)} by ${h.placedBy}`),
];

export function HoldsSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.holds.list.queryOptions({ active: true }));
  const release = useMutation(
    trpc.holds.release.mutationOptions({
      onSuccess: async (hold) => {
        toast.success(`Legal hold #${hold.id} released: what it covered follows policy again.`);
        await queryClient.invalidateQueries({ queryKey: trpc.holds.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.orgs.list.queryKey() });
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  return (
    <GovernedList
      title="Legal holds"
      query={query}
      error="Holds could not be loaded"
      end={{
        label: "Release",
        pending: release.isPending,
        run: (h) => release.mutate({ holdId: h.id }),
      }}
      table={{
        caption: "Active legal holds",
        columns,
        empty: "No active legal holds.",
        testId: "holds-table",
      }}
      form={{
        summary: "Place a legal hold",
        refusal: "Only admins place and release legal holds.",
        children: <PlaceHoldForm />,
      }}
    />
  );
}
