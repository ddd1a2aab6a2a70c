"use client";

import { useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import type { AppRouter } from "@/server/trpc/root";
import { formatDate } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { column } from "../ui/columns";
import { GovernedList } from "./governed-list";
import { PlaceHoldForm } from "./place-hold-form";
import { holdCovers, ReleaseHoldDialog } from "./release-hold-dialog";

type Hold = inferRouterOutputs<AppRouter>["holds"]["list"][number];

const columns: ColumnDef<Hold, unknown>[] = [
  column("Hold", "hold", (h) => (
    <>
      #{h.id} <Badge tone="warn">{h.scope.toLowerCase()}</Badge>
    </>
  )),
  column("Covers", "covers", holdCovers, { wrap: true }),
  column("Reason", "reason", (h) => h.reason, { wrap: true }),
  column("Placed", "placed", (h) => `${formatDate(h.placedAt)} by ${h.placedBy}`),
];

export function HoldsSection() {
  const trpc = useTRPC();
  const query = useQuery(trpc.holds.list.queryOptions({ active: true }));
  const [releasing, setReleasing] = useState<Hold | null>(null);
  return (
    <>
      <ReleaseHoldDialog hold={releasing} onClose={() => setReleasing(null)} />
      <GovernedList
        title="Legal holds"
        query={query}
        error="Holds could not be loaded"
        end={{
          label: "Release",
          pending: false,
          run: setReleasing,
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
    </>
  );
}
