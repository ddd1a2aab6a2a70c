"use client";

import { ChevronDown, KeyRound, LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { DropdownMenu } from "radix-ui";
import { useState } from "react";
import { toast } from "sonner";
import type { SessionUser } from "@/server/auth/roles";
import { ChangePasswordForm } from "../auth/change-password-form";
import { Badge } from "../ui/badge";
import { Dialog } from "../ui/dialog";

const ROLE_TONE = { VIEWER: "neutral", OPERATOR: "info", ADMIN: "warn" } as const;

const ITEM =
  "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

export function UserMenu({ user }: { user: SessionUser }) {
  const [changing, setChanging] = useState(false);
  return (
    <>
      <Dialog
        open={changing}
        onOpenChange={setChanging}
        title="Change your password"
        description="Type your current password, then the new one twice."
      >
        <ChangePasswordForm
          email={user.email}
          forced={false}
          onChanged={(signedIn) => {
            setChanging(false);
            if (signedIn) toast.success("Password changed: your other sessions are signed out.");
            else window.location.assign("/login");
          }}
        />
      </Dialog>
      <UserDropdown user={user} onChangePassword={() => setChanging(true)} />
    </>
  );
}

function UserDropdown({
  user,
  onChangePassword,
}: {
  user: SessionUser;
  onChangePassword: () => void;
}) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        aria-label={`Account menu for ${user.name}`}
        className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
      >
        <span className="hidden sm:inline">{user.name}</span>
        <Badge tone={ROLE_TONE[user.role]}>{user.role}</Badge>
        <ChevronDown aria-hidden className="size-4" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-56 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-sm">
            <span className="block font-medium">{user.name}</span>
            <span className="block text-zinc-500 dark:text-zinc-400">{user.email}</span>
            <span className="mt-1 block text-xs text-zinc-500 dark:text-zinc-400">
              Role: {user.role}
            </span>
          </DropdownMenu.Label>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-700" />
          <DropdownMenu.Item onSelect={onChangePassword} className={ITEM}>
            <KeyRound aria-hidden className="size-4" />
            Change password
          </DropdownMenu.Item>
          <DropdownMenu.Item
            onSelect={() => void signOut({ callbackUrl: "/login" })}
            className={ITEM}
          >
            <LogOut aria-hidden className="size-4" />
            Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
