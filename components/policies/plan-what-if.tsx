"use client";

import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import type { Plan, RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_KEYS, CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { useTRPC } from "../trpc/client";
import { Card, CardTitle } from "../ui/card";
import { Field, Input, Select } from "../ui/field";
import { WhatIfFigures } from "./what-if-figures";

const PLANS: Plan[] = ["FREE", "BASIC", "PRO", "AGENCY", "ENTERPRISE"];
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
  const valid = Number.isInteger(deferred) && deferred >= 1 && deferred <= 2555;
  const query = useQuery({
    ...trpc.policies.whatIf.queryOptions({ plan, category, days: deferred }),
    enabled: valid,
  });
  return (
    <Card className="mb-6">
      <CardTitle>What-if: change a plan&apos;s window</CardTitle>
      <div className="flex flex-wrap items-end gap-3">
        <Field id="whatif-plan" label="Plan">
          <Select id="whatif-plan" value={plan} onChange={(e) => setPlan(e.target.value as Plan)}>
            {PLANS.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </Select>
        </Field>
        <Field id="whatif-category" label="Category">
          <Select
            id="whatif-category"
            value={category}
            onChange={(e) => setCategory(e.target.value as RetentionCategory)}
          >
            {WINDOWED.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          id="whatif-days"
          label="Window (days)"
          error={valid ? undefined : "Between 1 and 2555 days."}
        >
          <Input
            id="whatif-days"
            type="number"
            min={1}
            max={2555}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            className="w-28"
          />
        </Field>
      </div>
      {query.data ? (
        <WhatIfFigures data={query.data} />
      ) : query.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {query.error.message}
        </p>
      ) : null}
      <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
        To apply it, set{" "}
        <code>
          RETENTION_DAYS_{category}_{plan}={days}
        </code>{" "}
        in the deployment&apos;s environment.
      </p>
    </Card>
  );
}
