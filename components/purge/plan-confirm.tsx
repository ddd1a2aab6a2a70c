"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import type { AppRouter } from "@/server/trpc/root";
import { formatCount } from "../format";
import { useTRPC } from "../trpc/client";
import { confirmActions } from "./actions";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { TextField } from "../ui/field";
import { FormAlert } from "../ui/states";

type Plan = inferRouterOutputs<AppRouter>["purge"]["plan"];

/**
 * Confirms exactly this plan; a guarded one only once its phrase is typed.
 * The run it starts goes to `onConfirmed`.
 */
export function PlanConfirm(props: {
  plan: Plan;
  guarded: boolean;
  onConfirmed: (runId: string) => void;
}) {
  const { plan: p, guarded } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [phrase, setPhrase] = useState("");
  const confirm = useMutation(
    trpc.purge.confirm.mutationOptions({
      onSuccess: ({ runId }) => {
        props.onConfirmed(runId);
        return queryClient.invalidateQueries({ queryKey: trpc.purge.plan.queryKey() });
      },
    }),
  );
  return (
    <Card>
      <CardTitle>Confirm</CardTitle>
      <p className="mb-3 text-sm">
        Confirming purges exactly the items above, under the same cutoffs; anything that changed
        since (a new hold, a reopened incident) is skipped and reported.
      </p>
      {guarded ? (
        <TextField
          id="confirm-phrase"
          label={`Type "${p.guardrails.confirmPhrase}" to confirm`}
          className="mb-3 max-w-sm"
          autoComplete="off"
          value={phrase}
          onChange={setPhrase}
        />
      ) : null}
      <FormAlert message={confirm.error?.message} className="mb-2" />
      <Button
        variant="danger"
        disabled={
          confirm.isPending ||
          p.itemCount === 0n ||
          (guarded && phrase.trim() !== p.guardrails.confirmPhrase)
        }
        onClick={() => confirm.mutate({ planId: p.id, acknowledgement: guarded ? phrase : null })}
      >
        {confirm.isPending
          ? "Starting…"
          : `Confirm and ${p.actions ? confirmActions(p.actions) : `purge ${formatCount(p.itemCount)} items`}`}
      </Button>
    </Card>
  );
}
