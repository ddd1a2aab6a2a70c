import type { RetentionCategory } from "../server/generated/prisma/enums";

/**
 * An independent statement of PRODUCT.md's rules, written plainly over rows
 * loaded into memory: what the engine's SQL must agree with. It shares no
 * code with the engine on purpose.
 */
type Windows = Record<string, Partial<Record<string, number | null>>>;

export const PRODUCT_DEFAULTS: Windows = {
  ARTIFACTS: { FREE: 30, BASIC: 90, PRO: 365, AGENCY: 365, ENTERPRISE: null },
  DRIFT_CHECKS: { FREE: 7, BASIC: 30, PRO: 30, AGENCY: 90, ENTERPRISE: 180 },
  INCIDENT_PAYLOADS: { BASIC: 180, PRO: 180, AGENCY: 365, ENTERPRISE: 2555 },
  APPROVALS: { BASIC: 180, PRO: 180, AGENCY: 365, ENTERPRISE: 2555 },
  IMAGE_ANALYSES: { FREE: 30, BASIC: 30, PRO: 30, AGENCY: 30, ENTERPRISE: 30 },
  CONVERSATION_CONTEXT: { FREE: 90, BASIC: 90, PRO: 90, AGENCY: 90, ENTERPRISE: 90 },
  PROJECT_MEMORY: { FREE: 180, BASIC: 180, PRO: 180, AGENCY: 180, ENTERPRISE: 180 },
  SCENE_ITERATIONS: { FREE: 60, BASIC: 60, PRO: 60, AGENCY: 60, ENTERPRISE: 60 },
  TASK_QUEUE: { FREE: 7, BASIC: 7, PRO: 7, AGENCY: 7, ENTERPRISE: 7 },
  ERRORS: { FREE: 30, BASIC: 30, PRO: 30, AGENCY: 30, ENTERPRISE: 30 },
  PROMPTS: { FREE: 14, BASIC: 14, PRO: 14, AGENCY: 14, ENTERPRISE: 14 },
  ORPHAN_OBJECTS: { FREE: 5, BASIC: 5, PRO: 5, AGENCY: 5, ENTERPRISE: 5 },
};
/** PRODUCT.md's restore windows: the categories not listed have none (0). */
export const RESTORE_DEFAULTS: Record<string, number> = {
  ARTIFACTS: 7,
  INCIDENT_PAYLOADS: 7,
  APPROVALS: 7,
  IMAGE_ANALYSES: 7,
  CONVERSATION_CONTEXT: 7,
  PROJECT_MEMORY: 7,
  SCENE_ITERATIONS: 7,
  BACKUPS: 7,
  TASK_QUEUE: 0,
  ERRORS: 0,
};

/** Days a purged item of the category stays restorable on the plan: environment, else PRODUCT.md. */
export function oracleRestoreDays(world: OracleWorld, plan: string, category: string): number {
  return world.env[`RESTORE_DAYS_${category}_${plan}`] ?? RESTORE_DEFAULTS[category] ?? 0;
}

/**
 * The categories notices tell of: not backups (kept by count, not age), not
 * prompts (only archived), not orphan objects (no org's rows).
 */
export const NOTICE_CATEGORIES = Object.keys(PRODUCT_DEFAULTS).filter(
  (c) => !["BACKUPS", "PROMPTS", "ORPHAN_OBJECTS"].includes(c),
) as RetentionCategory[];

/** PRODUCT.md: AGENCY and ENTERPRISE promise a notice period unless the environment says otherwise. */
export function noticePeriodPromised(world: OracleWorld, plan: string) {
  return world.noticePeriod?.[`NOTICE_PERIOD_${plan}`] ?? ["AGENCY", "ENTERPRISE"].includes(plan);
}

export const KEEP_BACKUPS: Record<string, number> = { prod: 10, qa: 5, dev: 5, test: 3 };
export const TEMPORARY_TYPES = ["conversation_context", "temporary_note", "session_data"];
export const PRESERVED_TYPES = ["user_preference", "scene_style", "project_settings"];

const DAY = 86_400_000;

export type OracleWorld = {
  now: Date;
  env: Record<string, number>;
  /** NOTICE_PERIOD_<PLAN> set in the environment. */
  noticePeriod?: Record<string, boolean>;
  orgs: { id: number; plan: string; held: boolean }[];
  overrides: { orgId: number; category: string; days: number | null }[];
};

/** The window of one org and category: override, else environment, else PRODUCT.md; undefined = the plan has none. */
export function oracleWindow(
  world: OracleWorld,
  orgId: number,
  plan: string,
  category: string,
): number | null | undefined {
  if (!(plan in (PRODUCT_DEFAULTS[category] ?? {}))) return undefined;
  const override = world.overrides.find((o) => o.orgId === orgId && o.category === category);
  if (override) return override.days;
  const fromEnv =
    world.env[`RETENTION_DAYS_${category}_${plan}`] ??
    (category === "ARTIFACTS" ? world.env[`RETENTION_DAYS_${plan}`] : undefined);
  if (fromEnv !== undefined) return fromEnv === -1 ? null : fromEnv;
  return PRODUCT_DEFAULTS[category]?.[plan];
}

/** True when an item aged at `at` is past its org's window for the category. */
export function pastWindow(
  world: OracleWorld,
  org: { id: number; plan: string },
  category: string,
  at: Date | null,
) {
  const days = oracleWindow(world, org.id, org.plan, category);
  if (days === undefined || days === null || at === null) return false;
  return at.getTime() < world.now.getTime() - days * DAY;
}

export function keepBackups(world: OracleWorld, environment: string) {
  return (
    world.env[`BACKUPS_KEEP_${environment.toUpperCase()}`] ??
    KEEP_BACKUPS[environment] ??
    world.env.BACKUPS_KEEP_OTHER ??
    5
  );
}
