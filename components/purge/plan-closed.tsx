"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { PlanView } from "@/server/console/plan-view";
import { formatDateTime } from "../format";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { FormAlert } from "../ui/states";

/** Why an expired, discarded or cancelled preview can no longer be confirmed, and how to preview again. */
export function PlanClosed({ plan }: { plan: PlanView }) {
  const trpc = useTRPC();
  const router = useRouter();
  const canPreview = useCan("OPERATOR");
  const again = useMutation(
    trpc.purge.preview.mutationOptions({
      onSuccess: ({ planId: next }) => router.push(`/purge/${next}`),
    }),
  );
  return (
    <Card>
      <p className="text-sm" data-testid="plan-closed">
        {plan.cancelled
          ? `This dry run was cancelled before it finished${plan.discardedAt ? ` (${formatDateTime(plan.discardedAt)})` : ""}: it can never be confirmed, and nothing it found is kept.`
          : plan.status === "DISCARDED"
            ? `This preview was discarded ${plan.discardedAt ? formatDateTime(plan.discardedAt) : ""}: it can no longer be confirmed.`
            : `This preview expired at ${formatDateTime(plan.expiresAt)}: previews last 15 minutes, so a confirmation always matches current data.`}{" "}
        {plan.manifestRemovedAt && !plan.cancelled
          ? `Its list of items was deleted ${formatDateTime(plan.manifestRemovedAt)}; the totals above are what it found.`
          : ""}
      </p>
      {plan.erasure ? (
        <p className="mt-2 text-sm">
          Preview erasure #{plan.erasure.id} again on the{" "}
          <Link href="/erasure" className="underline underline-offset-2">
            GDPR erasure
          </Link>{" "}
          page.
        </p>
      ) : canPreview ? (
        <>
          <p className="mt-2 text-sm">Run a fresh dry run of the same scope.</p>
          <Button
            className="mt-3"
            disabled={again.isPending}
            onClick={() =>
              again.mutate({
                orgIds: plan.scope.orgIds,
                categories: plan.scope.categories,
                only: plan.scope.only ?? null,
              })
            }
          >
            Fresh dry run
          </Button>
          <FormAlert message={again.error?.message} className="mt-2" />
        </>
      ) : null}
    </Card>
  );
}
