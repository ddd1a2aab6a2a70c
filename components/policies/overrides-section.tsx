"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { formatDate } from "../format";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { ErrorBlock, LoadingBlock } from "../ui/states";
import { OverrideForm } from "./override-form";
import { toast } from "sonner";

export function OverridesSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useCan("ADMIN");
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
    <Card className="mb-6">
      <CardTitle>Org overrides</CardTitle>
      {query.isPending ? (
        <LoadingBlock />
      ) : query.isError ? (
        <ErrorBlock title="Overrides could not be loaded" query={query} />
      ) : query.data.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No org overrides: every org follows its plan.
        </p>
      ) : (
        <table className="mb-4 w-full text-left text-sm">
          <caption className="sr-only">Org overrides</caption>
          <thead className="text-xs text-zinc-600 uppercase dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-2">
                Organization
              </th>
              <th scope="col">Category</th>
              <th scope="col">Window</th>
              <th scope="col">Plan bounds</th>
              <th scope="col">Reason</th>
              <th scope="col">Since</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {query.data.map((o) => (
              <tr key={`${o.orgId}-${o.category}`}>
                <td className="py-2">
                  {o.orgName} <Badge>{o.plan}</Badge>
                </td>
                <td>{CATEGORY_LABELS[o.category]}</td>
                <td className="tabular-nums">{o.days === null ? "∞" : `${o.days} d`}</td>
                <td className="tabular-nums">
                  {o.bounds ? `${o.bounds.floor}–${o.bounds.ceiling ?? "∞"} d` : "—"}
                </td>
                <td>{o.reason}</td>
                <td>{formatDate(o.updatedAt)}</td>
                <td className="text-right">
                  {isAdmin ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      disabled={clear.isPending}
                      onClick={() => clear.mutate({ orgId: o.orgId, category: o.category })}
                    >
                      Clear
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isAdmin ? (
        <details className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          <summary className="cursor-pointer text-sm font-medium">Set an override</summary>
          <div className="mt-3">
            <OverrideForm />
          </div>
        </details>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Only admins set overrides.</p>
      )}
    </Card>
  );
}
