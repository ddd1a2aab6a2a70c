import type { Metadata } from "next";
import { UsersView } from "@/components/users/users-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return (
    <>
      <PageHeader
        title="Users"
        description="Who may sign in to the console, and with which role. A new user, or one whose password is reset, gets a one-time password to replace at first sign-in."
      />
      <UsersView />
    </>
  );
}
