import type { Plan } from "../../generated/prisma/enums";
import { NOTICE_PERIOD_DEFAULTS } from "../policy/defaults";
import type { PolicyEnv } from "../policy/effective-window";

/** Whether the plan promises a notice period: NOTICE_PERIOD_<PLAN>, else the default. */
export function noticePeriodOn(env: PolicyEnv, plan: Plan): boolean {
  const set = env[`NOTICE_PERIOD_${plan}`];
  return typeof set === "boolean" ? set : NOTICE_PERIOD_DEFAULTS[plan];
}
