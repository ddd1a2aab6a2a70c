"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { RestoreDialog, type RestoreChoice } from "../runs/restore-dialog";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";

/** An admin's restore of this incident's purged payload, one item of its run, after confirming. */
export function RestorePayload(props: {
  incidentId: number;
  title: string;
  kept: { runId: string; bytes: bigint };
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState<RestoreChoice | null>(null);
  const restore = useMutation(
    trpc.restore.restore.mutationOptions({
      onSuccess: async () => {
        setChoice(null);
        toast.success("The drift details are back, as they were before the purge.");
        await queryClient.invalidateQueries({ queryKey: trpc.incidents.get.queryKey() });
      },
    }),
  );
  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        className="mt-2"
        onClick={() => {
          restore.reset();
          setChoice({
            input: {
              runId: props.kept.runId,
              category: "INCIDENT_PAYLOADS",
              itemId: props.incidentId,
            },
            what: `the drift details of incident "${props.title}"`,
            items: 1,
            bytes: props.kept.bytes,
          });
        }}
      >
        Restore the drift details
      </Button>
      <RestoreDialog
        choice={choice}
        pending={restore.isPending}
        error={restore.error?.message}
        onCancel={() => setChoice(null)}
        onConfirm={(input) => restore.mutate(input)}
      />
    </>
  );
}
