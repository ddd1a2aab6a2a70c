"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { toast } from "sonner";
import { tokenStatus } from "@/server/auth/token-status";
import type { AppRouter } from "@/server/trpc/root";
import { formatDate, formatDateTime } from "../format";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { actionsColumn, column } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { SecretDialog } from "../ui/secret-dialog";
import { QueryBoundary } from "../ui/query-boundary";
import { CreateTokenForm, type CreatedToken } from "./create-token-form";

type Row = inferRouterOutputs<AppRouter>["tokens"]["list"][number];

function Status({ token }: { token: Row }) {
  const status = tokenStatus(token, new Date());
  if (status === "revoked" && token.revokedAt)
    return <Badge tone="neutral">revoked {formatDate(token.revokedAt)}</Badge>;
  return <Badge tone={status === "live" ? "good" : "bad"}>{status}</Badge>;
}

function Revoke({ token }: { token: Row }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: async () => {
        toast.success(`Token "${token.name}" revoked: it is refused from now on.`);
        await queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  if (token.revokedAt) return null;
  return (
    <Button
      size="sm"
      variant="secondary"
      aria-label={`Revoke token ${token.name}`}
      disabled={revoke.isPending}
      onClick={() => revoke.mutate({ tokenId: token.id })}
    >
      Revoke
    </Button>
  );
}

export function TokensView() {
  const trpc = useTRPC();
  const isAdmin = useCan("ADMIN");
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const list = useQuery(trpc.tokens.list.queryOptions({ everyone: isAdmin }));
  const columns: ColumnDef<Row, unknown>[] = [
    column("Name", "name", (t) => t.name),
    ...(isAdmin ? [column<Row>("Owner", "owner", (t) => t.ownerEmail)] : []),
    column("Scope", "scope", (t) => t.scope),
    column("Created", "created", (t) => formatDateTime(t.createdAt)),
    column("Last used", "used", (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never")),
    column("Expires", "expires", (t) => formatDate(t.expiresAt)),
    column("Status", "status", (t) => <Status token={t} />),
    actionsColumn((t) => <Revoke token={t} />),
  ];
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardTitle>Create a token</CardTitle>
        <CreateTokenForm onCreated={setCreated} />
      </Card>
      <Card>
        <CardTitle>{isAdmin ? "Everyone's tokens" : "Your tokens"}</CardTitle>
        <QueryBoundary query={list} error="API tokens could not be loaded">
          {(tokens) => (
            <DataTable
              columns={columns}
              data={tokens}
              caption="API tokens"
              empty="No API tokens yet."
            />
          )}
        </QueryBoundary>
      </Card>
      <SecretDialog
        secret={
          created && {
            title: "API token created",
            description: `"${created.name}", scope ${created.scope}, expires ${formatDate(created.expiresAt)}. Send it as Authorization: Bearer <token>.`,
            label: "API token",
            value: created.token,
          }
        }
        onClose={() => setCreated(null)}
      />
    </div>
  );
}
