"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { EXPORT_WITHIN_DAYS } from "@/server/retention/exports/within-days";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { Field, Input } from "../ui/field";
import { QueryBoundary } from "../ui/query-boundary";
import { FormAlert } from "../ui/states";

/** Asks for an export of the org's items that fall due within N days, of the categories ticked. */
export function ExportForm({ orgId }: { orgId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const categories = useQuery(trpc.exports.categories.queryOptions());
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [days, setDays] = useState(String(EXPORT_WITHIN_DAYS.default));
  const request = useMutation(
    trpc.exports.request.mutationOptions({
      onSuccess: async ({ id }) => {
        toast.success(`Export ${id} is being prepared in the background.`);
        await queryClient.invalidateQueries({ queryKey: trpc.exports.list.queryKey({ orgId }) });
      },
    }),
  );
  const toggle = (key: string, on: boolean) =>
    setChosen((now) => {
      const next = new Set(now);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  return (
    <Card>
      <CardTitle>Export before deletion</CardTitle>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          request.mutate({
            orgId,
            categories: [...chosen] as RetentionCategory[],
            withinDays: Number(days),
          });
        }}
      >
        <fieldset className="flex flex-col gap-1">
          <legend className="text-sm font-medium">Categories</legend>
          <QueryBoundary query={categories} error="The categories could not be loaded">
            {(keys) => (
              <div className="flex flex-wrap gap-x-4 gap-y-1">
                {keys.map((key) => (
                  <label key={key} className="flex items-center gap-1.5 text-sm">
                    <input
                      type="checkbox"
                      checked={chosen.has(key)}
                      onChange={(e) => toggle(key, e.target.checked)}
                    />
                    {CATEGORY_LABELS[key as RetentionCategory] ?? key}
                  </label>
                ))}
              </div>
            )}
          </QueryBoundary>
        </fieldset>
        <Field
          id="export-days"
          label="Due within (days)"
          hint={`Everything these categories will delete within ${EXPORT_WITHIN_DAYS.min}–${EXPORT_WITHIN_DAYS.max} days from now: rows as NDJSON, files as they are stored, a manifest with each file's SHA-256. Kept 7 days.`}
          className="max-w-xs"
        >
          <Input
            id="export-days"
            type="number"
            min={EXPORT_WITHIN_DAYS.min}
            max={EXPORT_WITHIN_DAYS.max}
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </Field>
        <FormAlert message={request.error?.message} />
        <div>
          <Button type="submit" disabled={request.isPending || chosen.size === 0}>
            {request.isPending ? "Requesting…" : "Request export"}
          </Button>
        </div>
      </form>
    </Card>
  );
}
