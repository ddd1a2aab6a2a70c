"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pin } from "lucide-react";
import { toast } from "sonner";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { useFormFields } from "../ui/form-fields";
import { FormSubmit, useCheckedSubmit } from "../ui/form-submit";
import { QueryBoundary } from "../ui/query-boundary";
import { isoDay } from "@/server/calendar-day";

export type PinTarget =
  { scope: "ARTIFACT"; artifactId: number } | { scope: "INCIDENT"; incidentId: number };

/**
 * The pin in force on an artifact or an incident, if any, and for an admin
 * the form that places one, moves its date or removes it.
 */
export function PinPanel({ target }: { target: PinTarget }) {
  const trpc = useTRPC();
  const filter =
    target.scope === "ARTIFACT"
      ? { artifactId: target.artifactId }
      : { incidentId: target.incidentId };
  const query = useQuery(trpc.pins.list.queryOptions({ ...filter, inForce: true }));
  return (
    <QueryBoundary query={query} error="Pins could not be loaded">
      {(pins) => <PinState target={target} pin={pins[0] ?? null} />}
    </QueryBoundary>
  );
}

type PinRow = { id: number; pinnedUntil: Date; placedBy: string; reason: string };

function PinState({ target, pin }: { target: PinTarget; pin: PinRow | null }) {
  const canPin = useCan("ADMIN");
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="pin-panel">
      {pin ? (
        <p role="status" className="flex items-center gap-2" data-testid="pinned-until">
          <Pin aria-hidden className="size-4" />
          Pinned until {isoDay(pin.pinnedUntil)} by {pin.placedBy}: {pin.reason}
        </p>
      ) : (
        <p className="text-zinc-600 dark:text-zinc-400">Not pinned: retention policy applies.</p>
      )}
      {canPin ? <PinForm target={target} pin={pin} /> : null}
    </div>
  );
}

function PinForm({ target, pin }: { target: PinTarget; pin: PinRow | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fields = useFormFields(`pin-${target.scope.toLowerCase()}`, {
    until: pin ? isoDay(pin.pinnedUntil) : "",
    reason: "",
  });
  const refresh = async (message: string) => {
    toast.success(message);
    fields.set({ reason: "" });
    await queryClient.invalidateQueries({ queryKey: trpc.pins.list.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.deletions.pathKey() });
  };
  const place = useMutation(
    trpc.pins.place.mutationOptions({
      onSuccess: (p) => refresh(`Pinned until ${isoDay(p.pinnedUntil)}: kept until then.`),
    }),
  );
  const change = useMutation(
    trpc.pins.change.mutationOptions({
      onSuccess: (p) => refresh(`Pin #${p.id} now keeps it until ${isoDay(p.pinnedUntil)}.`),
    }),
  );
  const remove = useMutation(
    trpc.pins.remove.mutationOptions({
      onSuccess: (p) => refresh(`Pin #${p.id} removed: retention policy applies again.`),
    }),
  );
  const placing = useCheckedSubmit(
    () => import("@/server/trpc/schemas").then((m) => m.placePinInput),
    place,
  );
  const changing = useCheckedSubmit(
    () => import("@/server/trpc/schemas").then((m) => m.changePinInput),
    change,
  );
  const { until, reason } = fields.values;
  if (pin)
    return (
      <form
        onInvalidCapture={changing.browserRefused}
        aria-label="Change the pin"
        className="grid gap-3 md:grid-cols-2"
        onSubmit={(e) => changing.submit(e, { pinId: pin.id, until })}
      >
        <TextField label="Pinned until" type="date" {...fields.bind("until")} />
        <FormSubmit
          {...changing.status}
          label={["Change the date", "Changing…"]}
          span="md:col-span-2"
        />
        <Button
          type="button"
          variant="secondary"
          disabled={remove.isPending}
          onClick={() => remove.mutate({ pinId: pin.id })}
        >
          Remove the pin
        </Button>
        {remove.error ? <p className="text-red-700">{remove.error.message}</p> : null}
      </form>
    );
  return (
    <form
      onInvalidCapture={placing.browserRefused}
      aria-label="Pin"
      className="grid gap-3 md:grid-cols-2"
      onSubmit={(e) => placing.submit(e, { ...target, until, reason })}
    >
      <TextField
        label="Keep until"
        type="date"
        hint="Within the plan's ceiling for this item."
        {...fields.bind("until")}
      />
      <TextField
        label="Reason"
        hint="Audited with the pin. Ids and ticket numbers, not personal data."
        placeholder="e.g. Customer dispute, ticket 4411"
        {...fields.bind("reason")}
      />
      <FormSubmit {...placing.status} label={["Pin", "Pinning…"]} span="md:col-span-2" />
    </form>
  );
}
