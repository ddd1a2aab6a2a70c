import type { inferRouterOutputs } from "@trpc/server";
import { AlertTriangle } from "lucide-react";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatCount } from "../format";

type Guardrails = inferRouterOutputs<AppRouter>["purge"]["plan"]["guardrails"];

/** The heading: what the reasons below led to, or will. */
function heading(confirmed: boolean, bySchedule: boolean) {
  if (bySchedule)
    return confirmed
      ? "The daily schedule confirmed this purge unattended, as it does every day; by hand it would have needed a second confirmation, because:"
      : "The daily schedule confirms this purge unattended; by hand it would need a second confirmation, because:";
  return confirmed
    ? "This purge was confirmed a second time, because:"
    : "This purge needs a second confirmation.";
}

/**
 * Why a large purge asks to be confirmed a second time; once confirmed, why
 * it was, as a note rather than an alert. The daily run's plan is confirmed
 * by the schedule, within policy, with no person to ask: it says so.
 */
export function PlanGuardrails({
  guardrails,
  confirmed,
  bySchedule,
}: {
  guardrails: Guardrails;
  confirmed: boolean;
  bySchedule: boolean;
}) {
  return (
    <div
      role={confirmed || bySchedule ? "note" : "alert"}
      className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" />
      <div>
        <p className="font-semibold">{heading(confirmed, bySchedule)}</p>
        <ul className="mt-1 list-disc pl-5">
          {guardrails.reasons.map((r, i) => (
            <li key={i}>
              {r.kind === "whole-fleet"
                ? "It covers every organization and every category."
                : `It takes ${Math.round(r.share * 100)}% of ${r.orgName}'s ${CATEGORY_LABELS[r.category].toLowerCase()}.`}
            </li>
          ))}
          {guardrails.moreShares ? (
            <li>
              {guardrails.moreShares === 1
                ? "One more organization × category entry passes"
                : `Another ${formatCount(guardrails.moreShares)} organization × category entries pass`}{" "}
              the same share (the largest are listed above).
            </li>
          ) : null}
        </ul>
      </div>
    </div>
  );
}
