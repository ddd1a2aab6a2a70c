"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_KEYS, CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { setOverrideInput } from "@/server/trpc/schemas";
import { OrgSelect } from "../orgs/org-select";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Field, Input, Select } from "../ui/field";
import { WhatIfFigures } from "./what-if-figures";

type Values = z.input<typeof setOverrideInput>;
const OVERRIDABLE = CATEGORY_KEYS.filter((c) => c !== "BACKUPS");

/**
 * Sets one org's window for a category. The plan's floor and ceiling are
 * shown and enforced here, and the what-if shows what the value would make
 * eligible before it is saved; the server enforces the same bounds.
 */
export function OverrideForm({ onSaved }: { onSaved?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    resolver: zodResolver(setOverrideInput),
    defaultValues: { orgId: 0, category: "ARTIFACTS", days: 30, reason: "" },
  });
  const [orgId, category, days] = useWatch({
    control: form.control,
    name: ["orgId", "category", "days"],
  });
  const bounds = useQuery({ ...trpc.policies.bounds.queryOptions({ orgId }), enabled: orgId > 0 });
  const limit = bounds.data?.find((b) => b.category === category)?.bounds ?? null;
  const outOfBounds =
    limit &&
    days !== null &&
    days !== undefined &&
    (days < limit.floor || (limit.ceiling !== null && days > limit.ceiling));
  const unlimitedRefused = limit && days === null && limit.ceiling !== null;
  const deferredDays = useDeferredValue(days);
  const whatIf = useQuery({
    ...trpc.policies.whatIf.queryOptions({ orgId, category, days: deferredDays ?? null }),
    enabled:
      orgId > 0 && !!limit && !outOfBounds && !unlimitedRefused && deferredDays !== undefined,
  });
  const save = useMutation(
    trpc.policies.setOverride.mutationOptions({
      onSuccess: async () => {
        toast.success("Override saved and audited.");
        await queryClient.invalidateQueries({ queryKey: trpc.policies.overrides.queryKey() });
        form.reset({ orgId: 0, category: "ARTIFACTS", days: 30, reason: "" });
        onSaved?.();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const boundsText = !orgId
    ? "Choose an organization to see its plan's bounds."
    : !limit
      ? bounds.isPending
        ? "Loading bounds…"
        : "This plan has no such data, or it is kept by count: no override."
      : `Allowed: ${limit.floor}–${limit.ceiling ?? "unlimited"} days.`;

  return (
    <form
      onSubmit={form.handleSubmit((values) => {
        if (outOfBounds || unlimitedRefused || !limit) return;
        save.mutate(setOverrideInput.parse(values));
      })}
      className="grid gap-3 md:grid-cols-2"
      aria-label="Set an org override"
    >
      <Field
        id="override-org"
        label="Organization"
        error={form.formState.errors.orgId ? "Choose an organization." : undefined}
        className="md:col-span-2"
      >
        <Controller
          control={form.control}
          name="orgId"
          render={({ field }) => (
            <OrgSelect
              id="override-org"
              value={field.value || null}
              onChange={(v) => field.onChange(v ?? 0)}
            />
          )}
        />
      </Field>
      <Field id="override-category" label="Category">
        <Select id="override-category" {...form.register("category")}>
          {OVERRIDABLE.map((c: RetentionCategory) => (
            <option key={c} value={c}>
              {CATEGORY_LABELS[c]}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        id="override-days"
        label="Window (days)"
        hint={boundsText}
        error={
          outOfBounds
            ? `Must be between ${limit?.floor} and ${limit?.ceiling ?? "unlimited"} days for this plan.`
            : unlimitedRefused
              ? "Unlimited is not allowed on this plan."
              : form.formState.errors.days?.message
        }
      >
        <div className="flex items-center gap-3">
          <Controller
            control={form.control}
            name="days"
            render={({ field }) => (
              <>
                <Input
                  id="override-days"
                  type="number"
                  inputMode="numeric"
                  min={limit?.floor}
                  max={limit?.ceiling ?? undefined}
                  disabled={field.value === null}
                  value={field.value ?? ""}
                  onChange={(e) =>
                    field.onChange(e.target.value === "" ? undefined : Number(e.target.value))
                  }
                  aria-invalid={Boolean(outOfBounds)}
                  className="w-28"
                />
                {limit?.ceiling === null ? (
                  <label className="flex items-center gap-1.5 text-sm">
                    <input
                      type="checkbox"
                      checked={field.value === null}
                      onChange={(e) => field.onChange(e.target.checked ? null : limit.floor)}
                    />
                    Unlimited
                  </label>
                ) : null}
              </>
            )}
          />
        </div>
      </Field>
      <Field
        id="override-reason"
        label="Reason"
        error={form.formState.errors.reason?.message}
        className="md:col-span-2"
      >
        <Input
          id="override-reason"
          placeholder="e.g. contract amendment 2026-11"
          {...form.register("reason")}
        />
      </Field>
      <div className="md:col-span-2">
        <p className="text-sm font-medium">What-if</p>
        {whatIf.data ? (
          <WhatIfFigures data={whatIf.data} />
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            {whatIf.isError
              ? whatIf.error.message
              : "Pick an org, a category and a window within bounds to see what it would delete."}
          </p>
        )}
      </div>
      <div className="md:col-span-2">
        <Button
          type="submit"
          disabled={save.isPending || !limit || Boolean(outOfBounds) || Boolean(unlimitedRefused)}
        >
          {save.isPending ? "Saving…" : "Save override"}
        </Button>
      </div>
    </form>
  );
}
