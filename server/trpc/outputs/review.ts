import { z } from "zod";
import { ReviewReason } from "../../generated/prisma/enums";
import { category } from "../schemas";

export const pausedTasks = z.array(
  z.strictObject({
    taskId: z.number(),
    runId: z.string(),
    runStartedAt: z.date(),
    orgId: z.number(),
    orgName: z.string(),
    category,
    count: z.number(),
    reason: z.enum(ReviewReason),
    baseline: z.number().nullable(),
    historyRuns: z.number(),
    windowWas: z.number().nullable(),
    windowDays: z.number().nullable(),
    moreItems: z.number().nullable(),
    why: z.string(),
  }),
);

export const reviewed = z.strictObject({ runId: z.string() });
