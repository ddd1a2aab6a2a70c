"use client";

import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { Plan, type RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_KEYS, CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { MAX_WINDOW_DAYS } from "@/server/retention/policy/defaults";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { SelectField, TextField } from "../ui/field";
import { FormAlert } from "../ui/states";
import { WhatIfFigures } from "./what-if-figures";

const WINDOWED = CATEGORY_KEYS.filter((c) => c !== "BACKUPS" && c !== "ORPHAN_OBJECTS");

/**
 * What a plan's window would delete if changed. Plan windows are set by
 * environment variables; this shows the one to set.
 */
export function PlanWhatIf() {
  const trpc = useTRPC();
  const [plan, setPlan] = useState<Plan>("FREE");
  const [category, setCategory] = useState<RetentionCategory>("ARTIFACTS");
  const [days, setDays] = useState(30);
  const deferred = useDeferredValue(days);
  const inBounds = (d: number) => Number.isInteger(d) && d >= 1 && d <= MAX_WINDOW_DAYS;
  const valid = inBounds(deferred);
  const query = useQuery({
    ...trpc.policies.whatIf.queryOptions({ plan, category, days: deferred }),
    enabled: valid,
  });
  return (
    <Card className="mb-6">
      <CardTitle>What-if: change a plan&apos;s window</CardTitle>
      <div className="flex flex-wrap items-end gap-3">
        <SelectField
          id="whatif-plan"
          label="Plan"
          value={plan}
          options={Object.values(Plan).map((p) => ({ value: p, label: p }))}
          onChange={setPlan}
        />
        <SelectField
          id="whatif-category"
          label="Category"
          value={category}
          options={WINDOWED.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
          onChange={setCategory}
        />
        <TextField
          id="whatif-days"
          label="Window (days)"
          error={inBounds(days) ? undefined : `Between 1 and ${MAX_WINDOW_DAYS} days.`}
          type="number"
          min={1}
          max={MAX_WINDOW_DAYS}
          value={String(days)}
          onChange={(v) => setDays(Number(v))}
          inputClassName="w-28"
        />
      </div>
      {query.data ? (
        <WhatIfFigures data={query.data} />
      ) : (
        <FormAlert message={query.error?.message} className="mt-2" />
      )}
      {inBounds(days) ? (
        // Only a window the server accepts: it refuses to start on any other.
        <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
          To apply it, set{" "}
          <code>
            RETENTION_DAYS_{category}_{plan}={days}
          </code>{" "}
          in the deployment&apos;s environment.
        </p>
      ) : null}
    </Card>
  );
}
