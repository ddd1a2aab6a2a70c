"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { toast } from "sonner";
import type { Role } from "@/server/generated/prisma/enums";
import type { AppRouter } from "@/server/trpc/root";
import { formatDate } from "../format";
import { useCan, useUser } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { actionsColumn, column } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { Select } from "../ui/field";
import { SecretDialog } from "../ui/secret-dialog";
import { QueryBoundary } from "../ui/query-boundary";
import { AddUserForm, type OneTimePassword } from "./add-user-form";

type Row = inferRouterOutputs<AppRouter>["users"]["list"][number];

function Status({ user }: { user: Row }) {
  if (user.disabledAt) return <Badge tone="bad">disabled</Badge>;
  if (user.mustChangePassword) return <Badge tone="warn">one-time password</Badge>;
  if (!user.hasPassword) return <Badge tone="info">single sign-on</Badge>;
  return <Badge tone="good">active</Badge>;
}

function useAccountChange() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return {
    trpc,
    done: (message: string) => async () => {
      toast.success(message);
      await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
    },
    onError: (e: { message: string }) => toast.error(e.message),
  };
}

/** An admin's own role is changed by another admin. */
function RoleSelect({ user }: { user: Row }) {
  const { trpc, done, onError } = useAccountChange();
  const self = user.id === useUser().id;
  const setRole = useMutation(
    trpc.users.setRole.mutationOptions({
      onSuccess: (u) => done(`${u.name} is now ${u.role}.`)(),
      onError,
    }),
  );
  return (
    <Select
      aria-label={`Role of ${user.name}`}
      value={user.role}
      disabled={self || setRole.isPending}
      title={self ? "Another admin changes your role." : undefined}
      onChange={(e) => setRole.mutate({ userId: user.id, role: e.target.value as Role })}
      className="h-8"
    >
      <option value="VIEWER">VIEWER</option>
      <option value="OPERATOR">OPERATOR</option>
      <option value="ADMIN">ADMIN</option>
    </Select>
  );
}

/** Disable/enable and reset; an admin cannot disable themself. */
function Actions({ user, onReset }: { user: Row; onReset: (shown: OneTimePassword) => void }) {
  const { trpc, done, onError } = useAccountChange();
  const self = user.id === useUser().id;
  const disable = useMutation(
    trpc.users.disable.mutationOptions({
      onSuccess: done(`${user.name} is disabled: signed out at once, API tokens refused.`),
      onError,
    }),
  );
  const enable = useMutation(
    trpc.users.enable.mutationOptions({ onSuccess: done(`${user.name} is enabled.`), onError }),
  );
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: async ({ oneTimePassword }) => {
        onReset({ email: user.email, password: oneTimePassword, reason: "reset" });
        await done(`${user.name} has a new one-time password.`)();
      },
      onError,
    }),
  );
  return (
    <div className="flex items-center gap-2">
      {user.disabledAt ? (
        <Button
          size="sm"
          variant="secondary"
          aria-label={`Enable ${user.name}`}
          disabled={enable.isPending}
          onClick={() => enable.mutate({ userId: user.id })}
        >
          Enable
        </Button>
      ) : (
        <Button
          size="sm"
          variant="secondary"
          aria-label={`Disable ${user.name}`}
          disabled={self || disable.isPending}
          title={self ? "Another admin disables your account." : undefined}
          onClick={() => disable.mutate({ userId: user.id })}
        >
          Disable
        </Button>
      )}
      <Button
        size="sm"
        variant="ghost"
        aria-label={`Reset the password of ${user.name}`}
        disabled={reset.isPending}
        onClick={() => reset.mutate({ userId: user.id })}
      >
        Reset password
      </Button>
    </div>
  );
}

export function UsersView() {
  const trpc = useTRPC();
  const isAdmin = useCan("ADMIN");
  const [shown, setShown] = useState<OneTimePassword | null>(null);
  const list = useQuery({ ...trpc.users.list.queryOptions(), enabled: isAdmin });
  if (!isAdmin)
    return (
      <Card>
        <p className="text-sm">Only admins manage users.</p>
      </Card>
    );
  const columns: ColumnDef<Row, unknown>[] = [
    column("Name", "name", (u) => u.name),
    column("Email", "email", (u) => u.email),
    column("Role", "role", (u) => <RoleSelect user={u} />),
    column("Status", "status", (u) => <Status user={u} />),
    column("Created", "created", (u) => formatDate(u.createdAt)),
    actionsColumn((u) => <Actions user={u} onReset={setShown} />),
  ];
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardTitle>Add a user</CardTitle>
        <AddUserForm onCreated={setShown} />
      </Card>
      <Card>
        <CardTitle>Users</CardTitle>
        <QueryBoundary query={list} error="Users could not be loaded">
          {(users) => <DataTable columns={columns} data={users} caption="Users of the console" />}
        </QueryBoundary>
      </Card>
      <SecretDialog
        secret={
          shown && {
            title: shown.reason === "added" ? "User added" : "Password reset",
            description: `Give ${shown.email} this one-time password. They must choose their own when they first sign in.`,
            label: "One-time password",
            value: shown.password,
          }
        }
        onClose={() => setShown(null)}
      />
    </div>
  );
}
