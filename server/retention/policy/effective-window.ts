import type { Env } from "../../env";
import type { Plan, RetentionCategory } from "../../generated/prisma/enums";
import {
  BACKUP_ENVIRONMENTS,
  BACKUP_KEEP_DEFAULTS,
  MAX_WINDOW_DAYS,
  PLAN_DEFAULT_DAYS,
  RESTORE_DEFAULT_DAYS,
  type BackupEnvironment,
  type WindowDays,
} from "./defaults";
import { CATEGORY_LABELS } from "../categories/labels";

/** The retention settings read from the environment (RETENTION_DAYS_*, BACKUPS_KEEP_*). */
export type PolicyEnv = Partial<Record<string, unknown>>;

export type WindowSource = "plan" | "env" | "override";

export type EffectiveWindow = {
  /** Days an item is kept; null = never purged. */
  days: WindowDays;
  source: WindowSource;
};

export type OverrideBounds = {
  /** The shortest window an org override may set. */
  floor: number;
  /** The longest; null = the override may be unlimited. */
  ceiling: number | null;
};

const DAY_MS = 86_400_000;

const windowed = (category: RetentionCategory): category is keyof typeof PLAN_DEFAULT_DAYS =>
  category !== "BACKUPS";

/** Whether the plan has data of this category at all ("—" in PRODUCT.md). */
export function planHasCategory(plan: Plan, category: RetentionCategory): boolean {
  return !windowed(category) || plan in PLAN_DEFAULT_DAYS[category];
}

function envDays(env: PolicyEnv, name: string): WindowDays | undefined {
  const value = env[name];
  if (typeof value !== "number") return undefined;
  return value === -1 ? null : value;
}

/** The plan's window after environment overrides; undefined when the plan has no such data. */
export function planWindow(
  plan: Plan,
  category: RetentionCategory,
  env: PolicyEnv,
): EffectiveWindow | undefined {
  if (!windowed(category) || !planHasCategory(plan, category)) return undefined;
  // Not `??`: an unlimited setting (null) must win over the fallback.
  let fromEnv = envDays(env, `RETENTION_DAYS_${category}_${plan}`);
  if (fromEnv === undefined && category === "ARTIFACTS")
    fromEnv = envDays(env, `RETENTION_DAYS_${plan}`);
  if (fromEnv !== undefined) return { days: fromEnv, source: "env" };
  const days = PLAN_DEFAULT_DAYS[category][plan];
  return days === undefined ? undefined : { days, source: "plan" };
}

/**
 * Days a purged item of this category stays restorable on this plan:
 * RESTORE_DAYS_<CATEGORY>_<PLAN>, else the default; 0 (deleted at once)
 * for a category without a restore window. An erasure's is always 0: the
 * plan records 0 for it.
 */
export function restoreWindow(plan: Plan, category: RetentionCategory, env: PolicyEnv): number {
  if (!(category in RESTORE_DEFAULT_DAYS)) return 0;
  const fromEnv = env[`RESTORE_DAYS_${category}_${plan}`];
  if (typeof fromEnv === "number") return fromEnv;
  return RESTORE_DEFAULT_DAYS[category as keyof typeof RESTORE_DEFAULT_DAYS];
}

/**
 * The bounds a plan sets for an org override of one category: half to four
 * times the plan's window (at least a day, at most 7 years). Where the plan
 * keeps forever, an org may shorten to no less than a year, or stay
 * unlimited. Backups are kept by count and have no override.
 */
export function overrideBounds(
  plan: Plan,
  category: RetentionCategory,
  env: PolicyEnv,
): OverrideBounds | null {
  const base = planWindow(plan, category, env);
  if (!base) return null;
  if (base.days === null) return { floor: 365, ceiling: null };
  return {
    floor: Math.max(1, Math.ceil(base.days / 2)),
    ceiling: Math.min(MAX_WINDOW_DAYS, base.days * 4),
  };
}

/** Why an override value is refused, or null when it fits the plan's bounds. */
export function overrideProblem(
  plan: Plan,
  category: RetentionCategory,
  days: WindowDays,
  env: PolicyEnv,
): string | null {
  const bounds = overrideBounds(plan, category, env);
  if (!bounds) {
    return category === "BACKUPS"
      ? "Backups are kept by count per environment (BACKUPS_KEEP_*), not by an org override."
      : `The ${plan} plan has no ${CATEGORY_LABELS[category].toLowerCase()} to retain.`;
  }
  const range = `${bounds.floor}–${bounds.ceiling ?? "unlimited"}`;
  if (days === null) {
    return bounds.ceiling === null
      ? null
      : `Unlimited retention is not allowed on ${plan}: choose ${range} days.`;
  }
  if (
    !Number.isInteger(days) ||
    days < bounds.floor ||
    (bounds.ceiling !== null && days > bounds.ceiling)
  ) {
    return `${days} days is outside the ${plan} plan's bounds for this category: choose ${range} days.`;
  }
  return null;
}

/**
 * The window that governs one org's category: plan default ← environment
 * ← org override, the override clamped into the plan's bounds (so a bound
 * that moved after the override was saved still holds).
 */
export function effectiveWindow(
  plan: Plan,
  category: RetentionCategory,
  env: PolicyEnv,
  override?: WindowDays,
): EffectiveWindow | undefined {
  const base = planWindow(plan, category, env);
  if (!base || override === undefined) return base;
  const bounds = overrideBounds(plan, category, env);
  if (!bounds) return base;
  if (override === null) return bounds.ceiling === null ? { days: null, source: "override" } : base;
  const ceiling = bounds.ceiling ?? MAX_WINDOW_DAYS;
  return { days: Math.min(ceiling, Math.max(bounds.floor, override)), source: "override" };
}

/** Backups kept per environment name, after BACKUPS_KEEP_* overrides. */
export function backupKeep(env: PolicyEnv): Record<BackupEnvironment, number> {
  const keep = { ...BACKUP_KEEP_DEFAULTS } as Record<BackupEnvironment, number>;
  for (const name of BACKUP_ENVIRONMENTS) {
    const value = env[`BACKUPS_KEEP_${name.toUpperCase()}`];
    if (typeof value === "number") keep[name] = value;
  }
  return keep;
}

/** The moment before which items aged by a window of `days` are eligible. */
export const cutoffFor = (asOf: Date, days: number) => new Date(asOf.getTime() - days * DAY_MS);

export const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);

/** The environment slice that policy reads, so callers can pass `env()` whole. */
export const policyEnv = (env: Env): PolicyEnv => env as unknown as PolicyEnv;
