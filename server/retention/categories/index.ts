import type { RetentionCategory } from "../../generated/prisma/enums";
import { sql } from "../sql";
import { approvals } from "./approvals";
import { artifacts } from "./artifacts";
import { backups } from "./backups";
import type { Category, RowCategory } from "./category";
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

const BY_KEY = new Map(CATEGORIES.map((c) => [c.key, c]));

export function categoryOf(key: RetentionCategory): Category {
  const found = BY_KEY.get(key);
  if (!found) throw new Error(`No category is registered for ${key}`);
  return found;
}

export const rowCategories = () => CATEGORIES.filter((c): c is RowCategory => c.kind === "rows");

/**
 * Swept categories: a run works them by sweeps (see PurgeSweep in
 * schema.prisma) rather than by per-org tasks. Their rows are never edited,
 * so one statement re-checks and deletes them inside the database; they lie
 * on disk in the order they were written, interleaved across orgs, so a
 * batch of one org's rows would touch a page per row, a batch in item order
 * a few pages.
 */
export const SWEPT_CATEGORIES: RetentionCategory[] = CATEGORIES.filter(
  (c) => c.kind === "rows" && c.neverEdited,
).map((c) => c.key);

export const isSwept = (category: RetentionCategory) => SWEPT_CATEGORIES.includes(category);

/** The swept categories as a text[] parameter, for SQL that leaves them out or picks them. */
export const sweptArray = () => sql`${SWEPT_CATEGORIES}::text[]`;
