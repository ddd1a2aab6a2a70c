import type { Plan, RetentionCategory } from "../../generated/prisma/enums";

/** PRODUCT.md's plan defaults, in days. `null` = never purged; absent = the plan has no such data. */
export const PLANS = [
  "FREE",
  "BASIC",
  "PRO",
  "AGENCY",
  "ENTERPRISE",
] as const satisfies readonly Plan[];

export const UNLIMITED = null;
export type WindowDays = number | typeof UNLIMITED;

/** The longest bounded window any setting may ask for: 7 years. */
export const MAX_WINDOW_DAYS = 2555;

type PlanWindows = Partial<Record<Plan, WindowDays>>;
const everyPlan = (days: number): PlanWindows =>
  Object.fromEntries(PLANS.map((plan) => [plan, days])) as PlanWindows;

export const PLAN_DEFAULT_DAYS: Record<Exclude<RetentionCategory, "BACKUPS">, PlanWindows> = {
  ARTIFACTS: { FREE: 30, BASIC: 90, PRO: 365, AGENCY: 365, ENTERPRISE: UNLIMITED },
  DRIFT_CHECKS: { FREE: 7, BASIC: 30, PRO: 30, AGENCY: 90, ENTERPRISE: 180 },
  INCIDENT_PAYLOADS: { BASIC: 180, PRO: 180, AGENCY: 365, ENTERPRISE: 2555 },
  APPROVALS: { BASIC: 180, PRO: 180, AGENCY: 365, ENTERPRISE: 2555 },
  IMAGE_ANALYSES: everyPlan(30),
  CONVERSATION_CONTEXT: everyPlan(90),
  PROJECT_MEMORY: everyPlan(180),
  SCENE_ITERATIONS: everyPlan(60),
  TASK_QUEUE: everyPlan(7),
  ERRORS: everyPlan(30),
  PROMPTS: everyPlan(14),
  ORPHAN_OBJECTS: everyPlan(5),
};

/**
 * PRODUCT.md's restore windows, in days: how long a purged item stays
 * restorable. Only the categories whose items a task purges by deleting
 * rows have one; drift checks are swept (deleted inside one statement),
 * prompts archived, orphan objects have no row to keep: theirs is 0.
 */
export const RESTORE_DEFAULT_DAYS = {
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
} as const satisfies Partial<Record<RetentionCategory, number>>;
export type RestorableCategory = keyof typeof RESTORE_DEFAULT_DAYS;

/** The longest restore window a setting may ask for. */
export const MAX_RESTORE_DAYS = 90;

/** Backups are kept by count, not age: the newest N per environment name. */
export const BACKUP_KEEP_DEFAULTS = { prod: 10, qa: 5, dev: 5, test: 3, other: 5 } as const;
export type BackupEnvironment = keyof typeof BACKUP_KEEP_DEFAULTS;
export const BACKUP_ENVIRONMENTS = Object.keys(BACKUP_KEEP_DEFAULTS) as BackupEnvironment[];

/** Memory types that are conversation context; every other type is project memory. */
export const CONVERSATION_CONTEXT_TYPES = [
  "conversation_context",
  "temporary_note",
  "session_data",
];
/** Project-memory types that are never purged. */
export const PRESERVED_MEMORY_TYPES = ["user_preference", "scene_style", "project_settings"];

/** Task-queue states that are finished and may be purged. */
export const FINISHED_TASK_STATES = ["COMPLETED", "CANCELLED", "FAILED"] as const;

/**
 * Plans that promise a notice period (NOTICE_PERIOD_<PLAN>=on|off overrides):
 * nothing an org with notice settings was told of is deleted sooner than
 * its lead time after it was told.
 */
export const NOTICE_PERIOD_DEFAULTS: Record<Plan, boolean> = {
  FREE: false,
  BASIC: false,
  PRO: false,
  AGENCY: true,
  ENTERPRISE: true,
};
