"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { toast } from "sonner";
import type { AppRouter } from "@/server/trpc/root";
import { formatDate } from "../format";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { useFormFields } from "../ui/form-fields";
import { FormSubmit, useCheckedSubmit } from "../ui/form-submit";

type Settings = inferRouterOutputs<AppRouter>["notices"]["settings"];
export type ShownSecret = { secret: string; createdAt: Date };

/** "a@x.com, b@y.com" or one per line → the addresses. */
const addresses = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter(Boolean);

/**
 * An org's webhook, recipients and lead time: an ADMIN changes them, anyone
 * else reads them. A new or rotated signing secret goes to `onSecret`, to
 * be shown once.
 */
export function NoticeSettingsForm(props: {
  settings: Settings;
  onSecret: (secret: ShownSecret) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useCan("ADMIN");
  const { settings } = props;
  const fields = useFormFields(`notices-${settings.orgId}`, {
    webhookUrl: settings.webhookUrl ?? "",
    recipients: settings.recipients.join(", "),
    leadDays: String(settings.leadDays),
  });
  const refresh = () =>
    queryClient.invalidateQueries({
      queryKey: trpc.notices.settings.queryKey({ orgId: settings.orgId }),
    });
  const save = useMutation(
    trpc.notices.save.mutationOptions({
      onSuccess: async (saved) => {
        toast.success("Notice settings saved.");
        if (saved.newSecret) props.onSecret(saved.newSecret);
        await refresh();
      },
    }),
  );
  const rotate = useMutation(
    trpc.notices.rotateSecret.mutationOptions({
      onSuccess: async (fresh) => {
        props.onSecret(fresh);
        await refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const form = useCheckedSubmit(
    () => import("@/server/trpc/tenant-schemas").then((m) => m.noticeSettingsInput),
    save,
    { webhookUrl: "Webhook endpoint", recipients: "Email recipients", leadDays: "Lead time" },
  );
  const { webhookUrl, recipients, leadDays } = fields.values;
  return (
    <form
      onInvalidCapture={form.browserRefused}
      aria-label="Notice settings"
      className="grid gap-3 md:grid-cols-2"
      onSubmit={(e) =>
        form.submit(e, {
          orgId: settings.orgId,
          webhookUrl: webhookUrl.trim() ? webhookUrl.trim() : null,
          recipients: addresses(recipients),
          leadDays: Number(leadDays),
        })
      }
    >
      <TextField
        label="Webhook endpoint"
        hint="HTTPS, on a public host (not localhost or a private address). Each notice is signed (Standard Webhooks); leave empty for none."
        placeholder="https://hooks.example.com/lethe"
        disabled={!isAdmin}
        {...fields.bind("webhookUrl")}
      />
      <TextField
        label="Email recipients"
        hint="Up to 20 addresses, separated by commas."
        placeholder="ops@example.com, legal@example.com"
        disabled={!isAdmin}
        {...fields.bind("recipients")}
      />
      <TextField
        label="Lead time (days)"
        hint="How long before items fall due the org hears: 1 to 30."
        type="number"
        min={1}
        max={30}
        disabled={!isAdmin}
        {...fields.bind("leadDays")}
      />
      <div className="flex flex-col justify-center gap-2 text-sm" data-testid="notice-secret">
        {settings.secret ? (
          <>
            <span>Signing secret set, created {formatDate(settings.secret.createdAt)}.</span>
            {isAdmin ? (
              <Button
                type="button"
                size="sm"
                variant="secondary"
                disabled={rotate.isPending}
                onClick={() => rotate.mutate({ orgId: settings.orgId })}
              >
                Rotate secret
              </Button>
            ) : null}
          </>
        ) : (
          <span>No signing secret: one is made when a webhook is saved.</span>
        )}
      </div>
      {isAdmin ? (
        <FormSubmit {...form.status} label={["Save settings", "Saving…"]} span="md:col-span-2" />
      ) : (
        <p className="text-sm text-zinc-600 md:col-span-2 dark:text-zinc-400">
          Only an admin can change how this org is told.
        </p>
      )}
    </form>
  );
}
