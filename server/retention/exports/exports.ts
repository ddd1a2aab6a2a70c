import type { RetentionCategory } from "../../generated/prisma/enums";
import { AppError } from "../../errors";
import type { Engine } from "../deps";
import { appendAudit, type Actor } from "../evidence/audit-log";
import { addDays } from "../policy/effective-window";
import { buildExport } from "./build";
import { exportableCategories } from "./due";
import { EXPORT_WITHIN_DAYS } from "./within-days";

/** How long an export is kept (and its link works) after it is asked for. */
export const EXPORT_KEPT_DAYS = 7;

export type ExportRequest = {
  orgId: number;
  categories: RetentionCategory[];
  withinDays?: number;
  requestedBy: Actor;
  /** The notice whose link leads to this export, when a notice asked for it. */
  noticeId?: string;
};

/** What is wrong with a request, before anything is written. */
function problemOf(input: ExportRequest): string | null {
  const days = input.withinDays ?? EXPORT_WITHIN_DAYS.default;
  if (!Number.isInteger(days) || days < EXPORT_WITHIN_DAYS.min || days > EXPORT_WITHIN_DAYS.max)
    return `withinDays must be a whole number of days from ${EXPORT_WITHIN_DAYS.min} to ${EXPORT_WITHIN_DAYS.max}, not ${days}.`;
  if (input.categories.length === 0) return "Choose at least one category to export.";
  const exportable = exportableCategories();
  const unknown = input.categories.filter((c) => !exportable.includes(c));
  if (unknown.length > 0)
    return `${unknown.join(", ")} cannot be exported: choose among ${exportable.join(", ")}.`;
  return null;
}

/**
 * Asks for an export of an org's items of these categories that fall due
 * within `withinDays` (default 7) from now: checks the request (a bad one
 * writes and queues nothing), records it (audited), and queues its build
 * for a worker. Its link works, and it is kept, for EXPORT_KEPT_DAYS.
 */
export async function requestExport(engine: Engine, input: ExportRequest): Promise<{ id: number }> {
  const problem = problemOf(input);
  if (problem) throw new AppError("BAD_INPUT", problem);
  const org = await engine.db.organization.findUnique({ where: { id: input.orgId } });
  if (!org) throw new AppError("NOT_FOUND", `No organization ${input.orgId}.`);
  const withinDays = input.withinDays ?? EXPORT_WITHIN_DAYS.default;
  const categories = [...new Set(input.categories)];
  const asOf = engine.now();
  const row = await engine.db.$transaction(async (tx) => {
    const created = await tx.export.create({
      data: {
        orgId: org.id,
        categories,
        withinDays,
        asOf,
        expiresAt: addDays(asOf, EXPORT_KEPT_DAYS),
        requestedById: input.requestedBy === "system" ? null : input.requestedBy.id,
        noticeId: input.noticeId ?? null,
      },
    });
    await appendAudit(tx, {
      actor: input.requestedBy,
      action: "export.requested",
      orgId: org.id,
      target: `export:${created.id}`,
      details: { categories, withinDays, noticeId: input.noticeId ?? null },
    });
    return created;
  });
  await engine.queue.enqueueExport(row.id);
  return { id: row.id };
}

/**
 * Builds queued exports until none is left, none starting at or after
 * `until`: `npm run worker` between purges, the request that queued one,
 * or a cron delivery with the time its purge work left (a notice's export).
 * Returns how many it took. A job whose worker died (or whose function was
 * cut off) expires and comes back: the export is rebuilt from scratch.
 */
export async function workExports(engine: Engine, until = Infinity) {
  for (let taken = 0; ; taken++) {
    if (Date.now() >= until) return taken;
    const job = await engine.queue.nextExport();
    if (!job) return taken;
    const row = await engine.db.export.findUnique({ where: { id: job.exportId } });
    try {
      if (row && (row.status === "QUEUED" || row.status === "BUILDING" || row.status === "FAILED"))
        await buildExport(engine, job.exportId);
      await engine.queue.endExport(job.jobId);
    } catch (error) {
      await engine.queue.endExport(job.jobId, error);
    }
  }
}

/** An org's exports, newest first, with their progress. */
export function listExports(engine: Engine, orgId: number, take = 50) {
  return engine.db.export.findMany({
    where: { orgId },
    orderBy: { id: "desc" },
    take,
  });
}
