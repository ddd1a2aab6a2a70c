"use client";

import { useQuery } from "@tanstack/react-query";
import { useCan, useUser } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { QueryBoundary } from "../ui/query-boundary";
import { ErasureRequest } from "./erasure-request";
import { RequestForm } from "./request-form";

export function ErasureView() {
  const trpc = useTRPC();
  const isAdmin = useCan("ADMIN");
  const me = useUser();
  const list = useQuery({ ...trpc.erasure.list.queryOptions(), enabled: isAdmin });
  if (!isAdmin)
    return (
      <Card>
        <p className="text-sm">Only admins request and approve GDPR erasures.</p>
      </Card>
    );
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardTitle>Request an erasure</CardTitle>
        <RequestForm />
      </Card>
      <Card>
        <CardTitle>Requests</CardTitle>
        <QueryBoundary query={list} error="Requests could not be loaded">
          {(requests) =>
            requests.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">No erasure requests.</p>
            ) : (
              <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {requests.map((r) => (
                  <ErasureRequest key={r.id} request={r} mine={r.requestedById === me.id} />
                ))}
              </ul>
            )
          }
        </QueryBoundary>
      </Card>
    </div>
  );
}
