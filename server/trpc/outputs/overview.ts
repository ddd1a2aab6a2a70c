import { z } from "zod";
import { category, plan } from "../schemas";
import { runStatus, trigger } from "./common";

const totals = { items: z.bigint(), bytes: z.bigint() };

export const storageOverview = z.strictObject({
  day: z.date().nullable(),
  orgs: z.array(z.strictObject({ plan, count: z.number() })),
  byCategory: z.array(z.strictObject({ category, ...totals })),
  byPlan: z.array(z.strictObject({ plan, ...totals })),
  totalBytes: z.bigint(),
  totalItems: z.bigint(),
});

const finished = {
  id: z.string(),
  finishedAt: z.date().nullable(),
  deleted: z.bigint(),
  bytesFreed: z.bigint(),
};

export const purgeStatus = z.strictObject({
  stale: z.boolean(),
  lastSuccess: z.strictObject(finished).nullable(),
  lastRun: z
    .strictObject({
      ...finished,
      /** Archived items (prompts), which `deleted` leaves out. */
      archived: z.bigint(),
      trigger,
      startedBy: z.string(),
      status: runStatus,
      startedAt: z.date(),
    })
    .nullable(),
  /** The day's plan while its planning steps are worked: the day is planned, not missing. */
  planning: z
    .strictObject({
      planId: z.string(),
      runKey: z.string(),
      startedAt: z.date(),
      stepsDone: z.number(),
      stepsTotal: z.number(),
    })
    .nullable(),
  nextRun: z.date(),
  /** Daily run tasks the guard paused, awaiting an admin's review. */
  awaitingReview: z.number(),
  freedLast30Days: z.strictObject(totals),
});
