"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { formatCount } from "../format";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { FormAlert } from "../ui/states";

/**
 * Discards one's own open preview: it can no longer be confirmed, its item
 * list is deleted at once, and it no longer counts against the cap on open
 * previews.
 */
export function DiscardPreview({ planId }: { planId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const discard = useMutation(
    trpc.purge.discard.mutationOptions({
      onSuccess: async ({ itemsRemoved }) => {
        toast.success(`Preview discarded: its ${formatCount(itemsRemoved)} items were removed.`);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.purge.plan.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.purge.openPreviews.queryKey() }),
        ]);
      },
    }),
  );
  return (
    <span className="inline-flex flex-col gap-1">
      <Button
        size="sm"
        variant="secondary"
        disabled={discard.isPending}
        onClick={() => discard.mutate({ planId })}
      >
        {discard.isPending ? "Discarding…" : "Discard preview"}
      </Button>
      <FormAlert message={discard.error?.message} />
    </span>
  );
}
