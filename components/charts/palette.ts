import type { Plan, RetentionCategory } from "@/server/generated/prisma/enums";

/** One stable color per category and plan, readable on light and dark backgrounds. */
export const CATEGORY_COLORS: Record<RetentionCategory, string> = {
  ARTIFACTS: "#0284c7",
  DRIFT_CHECKS: "#7c3aed",
  INCIDENT_PAYLOADS: "#dc2626",
  APPROVALS: "#ea580c",
  IMAGE_ANALYSES: "#0d9488",
  CONVERSATION_CONTEXT: "#65a30d",
  PROJECT_MEMORY: "#ca8a04",
  SCENE_ITERATIONS: "#db2777",
  BACKUPS: "#4f46e5",
  TASK_QUEUE: "#64748b",
  ERRORS: "#b91c1c",
  PROMPTS: "#9333ea",
  ORPHAN_OBJECTS: "#78716c",
};

export const PLAN_COLORS: Record<Plan, string> = {
  FREE: "#94a3b8",
  BASIC: "#38bdf8",
  PRO: "#6366f1",
  AGENCY: "#f59e0b",
  ENTERPRISE: "#10b981",
};
