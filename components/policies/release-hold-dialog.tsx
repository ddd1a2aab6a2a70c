"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { toast } from "sonner";
import type { AppRouter } from "@/server/trpc/root";
import { useTRPC } from "../trpc/client";
import { Dialog } from "../ui/dialog";
import { TextField } from "../ui/field";
import { useFormFields } from "../ui/form-fields";
import { FormSubmit, useCheckedSubmit } from "../ui/form-submit";

type Hold = inferRouterOutputs<AppRouter>["holds"]["list"][number];

/** What a hold keeps, as its row says it: the org, and the incident or artifact. */
export const holdCovers = (h: Hold) =>
  `${h.orgName}${h.incidentId ? ` · incident ${h.incidentId}` : ""}${h.artifactId ? ` · artifact ${h.artifactId}` : ""}`;

/**
 * Releases a legal hold once an admin has read what it covers and said why:
 * what it kept is purgeable again from the next run, and the reason is
 * audited with the release.
 */
export function ReleaseHoldDialog({ hold, onClose }: { hold: Hold | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fields = useFormFields("release", { reason: "" });
  const release = useMutation(
    trpc.holds.release.mutationOptions({
      onSuccess: async (released) => {
        toast.success(`Legal hold #${released.id} released: what it covered follows policy again.`);
        fields.set({ reason: "" });
        onClose();
        await queryClient.invalidateQueries({ queryKey: trpc.holds.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.orgs.list.queryKey() });
      },
    }),
  );
  const form = useCheckedSubmit(
    () => import("@/server/trpc/schemas").then((m) => m.releaseHoldInput),
    release,
    { reason: "Why it is released" },
  );
  return (
    <Dialog
      open={hold !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={hold ? `Release legal hold #${hold.id}?` : "Release legal hold"}
      description={
        hold
          ? `It keeps ${holdCovers(hold)} (${hold.reason}). Once released, what it covers is purged by policy from the next run, and the release is audited with your reason.`
          : undefined
      }
    >
      {hold ? (
        <form
          onInvalidCapture={form.browserRefused}
          onSubmit={(e) => form.submit(e, { holdId: hold.id, reason: fields.values.reason })}
          className="grid gap-3"
          aria-label="Release a legal hold"
        >
          <TextField
            label="Why it is released"
            hint="Audited with the release. Ids and case numbers, not personal data."
            placeholder="e.g. Case 2026-CV-0142 settled"
            {...fields.bind("reason")}
          />
          <FormSubmit {...form.status} label={["Release the hold", "Releasing…"]} />
        </form>
      ) : null}
    </Dialog>
  );
}
