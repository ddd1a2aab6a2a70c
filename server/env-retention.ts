import { z } from "zod";
import {
  BACKUP_ENVIRONMENTS,
  MAX_RESTORE_DAYS,
  MAX_WINDOW_DAYS,
  PLAN_DEFAULT_DAYS,
  PLANS,
  RESTORE_DEFAULT_DAYS,
} from "./retention/policy/defaults";

const windowDays = z.coerce
  .number({ error: "must be a whole number of days" })
  .int("must be a whole number of days")
  .refine((days) => days === -1 || (days >= 1 && days <= MAX_WINDOW_DAYS), {
    error: `must be -1 (unlimited) or between 1 and ${MAX_WINDOW_DAYS} days`,
  });

const restoreDays = z.coerce
  .number({ error: "must be a whole number of days" })
  .int("must be a whole number of days")
  .min(0, "must be 0 (deleted at once) or more days")
  .max(MAX_RESTORE_DAYS, `must be at most ${MAX_RESTORE_DAYS} days`);

const keepCount = z.coerce
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(1, "must keep at least 1 backup")
  .max(1000, "must be at most 1000");

const onOff = z.enum(["on", "off"], { error: "must be on or off" }).transform((v) => v === "on");

/**
 * Retention windows from the environment: RETENTION_DAYS_<PLAN> sets the
 * plan's artifact window (PRODUCT.md's examples), RETENTION_DAYS_<CATEGORY>_<PLAN>
 * any other category, BACKUPS_KEEP_<ENV> the newest N backups kept,
 * RESTORE_DAYS_<CATEGORY>_<PLAN> how long a purged item stays restorable,
 * NOTICE_PERIOD_<PLAN> whether the plan promises a notice period.
 */
export function retentionVariables() {
  const vars: Record<string, z.ZodType> = {};
  for (const plan of PLANS) vars[`RETENTION_DAYS_${plan}`] = windowDays.optional();
  for (const [category, windows] of Object.entries(PLAN_DEFAULT_DAYS)) {
    for (const plan of PLANS) {
      vars[`RETENTION_DAYS_${category}_${plan}`] =
        plan in windows
          ? windowDays.optional()
          : z.undefined({ error: `${plan} has no ${category.toLowerCase()} to retain` });
    }
  }
  for (const category of Object.keys(RESTORE_DEFAULT_DAYS))
    for (const plan of PLANS) vars[`RESTORE_DAYS_${category}_${plan}`] = restoreDays.optional();
  for (const name of BACKUP_ENVIRONMENTS)
    vars[`BACKUPS_KEEP_${name.toUpperCase()}`] = keepCount.optional();
  for (const plan of PLANS) vars[`NOTICE_PERIOD_${plan}`] = onOff.optional();
  return vars;
}
