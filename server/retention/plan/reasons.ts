import type { Plan, RetentionCategory } from "../../generated/prisma/enums";
import { categoryOf } from "../categories";
import type { WindowDays } from "../policy/defaults";
import { planWindow, type EffectiveWindow, type PolicyEnv } from "../policy/effective-window";
import { isoDay } from "../../calendar-day";

export type ReasonInput = {
  category: RetentionCategory;
  plan: Plan;
  windowDays: number | null;
  eligibleAt: Date;
  erasureId?: number | null;
  /** The plan's own window, when an org override set `windowDays` (planDaysIfOverridden). */
  planDays?: WindowDays;
};

/** The plan's own window when an org override set `window`, for the reason to name both. */
export const planDaysIfOverridden = (
  plan: Plan,
  category: RetentionCategory,
  env: PolicyEnv,
  window: EffectiveWindow | undefined,
): WindowDays | undefined =>
  window?.source === "override" ? (planWindow(plan, category, env)?.days ?? null) : undefined;

/** The rule that makes an item of the category due, in the words every reason of the console uses. */
export function windowRule(input: Omit<ReasonInput, "eligibleAt" | "erasureId">): string {
  const label = categoryOf(input.category).label.toLowerCase();
  if (input.category === "BACKUPS")
    return "newer backups pushed it out of the newest kept per environment";
  if (input.category === "ORPHAN_OBJECTS")
    return `no row references it, orphan objects ${input.windowDays} days`;
  if (input.planDays !== undefined) {
    const planDays = input.planDays === null ? "kept" : `${input.planDays} days`;
    return `org override, ${label} ${input.windowDays} days (${input.plan} plan: ${planDays})`;
  }
  return `${input.plan} plan, ${label} ${input.windowDays} days`;
}

/** Why an item is in a plan, in one line an operator can check against the policy. */
export function eligibilityReason(input: ReasonInput): string {
  if (input.erasureId)
    return `GDPR erasure #${input.erasureId}: all artifacts regardless of age and plan`;
  return `eligible since ${isoDay(input.eligibleAt)}: ${windowRule(input)}`;
}
