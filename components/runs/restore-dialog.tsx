"use client";

import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatItems } from "../format";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormAlert } from "../ui/states";

/** A restore an admin asked for, and what it brings back, to be confirmed. */
export type RestoreChoice = {
  input: inferRouterInputs<AppRouter>["restore"]["restore"];
  /** What comes back, in words: "Acme's artifacts". */
  what: string;
  items: number;
  bytes: bigint;
};

/** The confirmation of a restore: it names what comes back before anything does. */
export function RestoreDialog(props: {
  choice: RestoreChoice | null;
  pending: boolean;
  error?: string;
  onCancel: () => void;
  onConfirm: (input: RestoreChoice["input"]) => void;
}) {
  const { choice } = props;
  return (
    <Dialog
      open={choice !== null}
      onOpenChange={(open) => (open ? null : props.onCancel())}
      title="Restore what this run purged?"
      description={
        choice ? (
          <span data-testid="restore-what">
            {formatItems(choice.items)} of {choice.what} ({formatBytes(choice.bytes)}) will be back
            exactly as before the purge: rows with the same ids, objects untouched. A restore does
            not keep them: what is still past its window is purged again by the next run that covers
            it, the daily one included. To keep them, first place a legal hold (or, within the
            plan&apos;s ceiling, widen the org&apos;s window with an override).
          </span>
        ) : null
      }
    >
      <FormAlert message={props.error} className="mb-3" />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={props.onCancel}>
          Cancel
        </Button>
        <Button
          disabled={props.pending || !choice}
          onClick={() => (choice ? props.onConfirm(choice.input) : null)}
        >
          {props.pending ? "Restoring…" : `Restore ${formatItems(choice?.items ?? 0)}`}
        </Button>
      </div>
    </Dialog>
  );
}
