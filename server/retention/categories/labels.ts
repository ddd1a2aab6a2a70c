import type { RetentionCategory } from "../../generated/prisma/enums";

/** The categories' names in the product's words; pure data, so the browser can use them too. */
export const CATEGORY_LABELS: Record<RetentionCategory, string> = {
  ARTIFACTS: "Artifacts",
  DRIFT_CHECKS: "Drift checks",
  INCIDENT_PAYLOADS: "Incident payloads",
  APPROVALS: "Approvals",
  IMAGE_ANALYSES: "Image analyses",
  CONVERSATION_CONTEXT: "Conversation context",
  PROJECT_MEMORY: "Project memory",
  SCENE_ITERATIONS: "Scene iterations",
  BACKUPS: "Database backups",
  TASK_QUEUE: "Task queue entries",
  ERRORS: "Errors (resolved)",
  PROMPTS: "Prompts (archive)",
  ORPHAN_OBJECTS: "Orphan objects",
};

export const CATEGORY_KEYS = Object.keys(CATEGORY_LABELS) as RetentionCategory[];
