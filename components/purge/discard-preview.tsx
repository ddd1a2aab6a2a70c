"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { formatCount } from "../format";
import { useCan, useUser } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { FormAlert } from "../ui/states";

/** Whether the signed-in person may discard (or cancel) a preview: the one who made it, or an admin. */
export function useMayDiscard(createdById: number | null) {
  const me = useUser();
  const admin = useCan("ADMIN");
  return useCan("OPERATOR") && createdById !== null && (createdById === me.id || admin);
}

/**
 * Discards an open preview: it can no longer be confirmed, its item list is
 * deleted at once, and it no longer counts against the cap on open
 * previews. One still `planning` is cancelled: its queued steps never run.
 */
export function DiscardPreview({
  planId,
  planning = false,
}: {
  planId: string;
  planning?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const discard = useMutation(
    trpc.purge.discard.mutationOptions({
      onSuccess: async ({ itemsRemoved }) => {
        toast.success(
          planning
            ? "Dry run cancelled: nothing it found is kept."
            : `Preview discarded: its ${formatCount(itemsRemoved)} items were removed.`,
        );
        await Promise.all(
          [trpc.purge.plan, trpc.purge.planning, trpc.purge.openPreviews].map((q) =>
            queryClient.invalidateQueries({ queryKey: q.queryKey() }),
          ),
        );
      },
    }),
  );
  const [idle, busy] = planning
    ? ["Cancel dry run", "Cancelling…"]
    : ["Discard preview", "Discarding…"];
  return (
    <span className="inline-flex flex-col gap-1">
      <Button
        size="sm"
        variant="secondary"
        disabled={discard.isPending}
        onClick={() => discard.mutate({ planId })}
      >
        {discard.isPending ? busy : idle}
      </Button>
      <FormAlert message={discard.error?.message} />
    </span>
  );
}
