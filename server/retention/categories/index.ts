import { approvals } from "./approvals";
import { artifacts } from "./artifacts";
import { backups } from "./backups";
import type { Category } from "./category";
import { conversationContext } from "./conversation-context";
import { driftChecks } from "./drift-checks";
import { errors } from "./errors";
import { imageAnalyses } from "./image-analyses";
import { incidentPayloads } from "./incident-payloads";
import { orphanObjects } from "./orphan-objects";
import { projectMemory } from "./project-memory";
import { prompts } from "./prompts";
import { sceneIterations } from "./scene-iterations";
import { taskQueue } from "./task-queue";

/** The categories Lethe governs, in the order the console lists them. */
export const CATEGORIES: readonly Category[] = [
  artifacts,
  driftChecks,
  incidentPayloads,
  approvals,
  imageAnalyses,
  conversationContext,
  projectMemory,
  sceneIterations,
  backups,
  taskQueue,
  errors,
  prompts,
  orphanObjects,
];
