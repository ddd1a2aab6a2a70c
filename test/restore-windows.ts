import { PLANS, RESTORE_DEFAULT_DAYS } from "../server/retention/policy/defaults";

/**
 * RESTORE_DAYS_* at 0 for every category and plan: purged items are
 * deleted at once. Tests about the purge itself run so; tests about the
 * restore window use PRODUCT.md's windows.
 */
export const NO_RESTORE_WINDOWS: Record<string, number> = Object.fromEntries(
  Object.keys(RESTORE_DEFAULT_DAYS).flatMap((category) =>
    PLANS.map((plan) => [`RESTORE_DAYS_${category}_${plan}`, 0]),
  ),
);
