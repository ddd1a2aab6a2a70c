"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Card } from "../ui/card";
import { ChangePasswordForm } from "./change-password-form";

/** The page a user with a one-time password lands on: the console opens once they choose their own. */
export function ChoosePassword({ email }: { email: string }) {
  const router = useRouter();
  return (
    <Card className="p-6">
      <ChangePasswordForm
        email={email}
        forced
        onChanged={(signedIn) => {
          toast.success(signedIn ? "Password saved." : "Password saved: sign in with it.");
          router.replace(signedIn ? "/" : "/login");
          router.refresh();
        }}
      />
    </Card>
  );
}
