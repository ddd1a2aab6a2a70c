import { z } from "zod";
import { category, plan } from "../schemas";
import { runStatus, trigger } from "./common";

export const storageHistory = z.strictObject({
  byCategory: z.array(
    z.strictObject({ day: z.string(), category, bytes: z.bigint(), items: z.bigint() }),
  ),
  byPlan: z.array(z.strictObject({ day: z.string(), plan, bytes: z.bigint() })),
});

export const freedByRun = z.array(
  z.strictObject({
    id: z.string(),
    status: runStatus,
    trigger,
    startedAt: z.date(),
    deleted: z.bigint(),
    bytesFreed: z.bigint(),
  }),
);

export const storageProjection = z.strictObject({
  current: z.number(),
  growthPerDay: z.number(),
  points: z.array(z.strictObject({ day: z.string(), bytes: z.number(), freed: z.number() })),
});

export const awaitingDeletion = z.strictObject({
  items: z.number(),
  bytes: z.bigint(),
  byCategory: z.array(
    z.strictObject({
      category,
      items: z.number(),
      bytes: z.bigint(),
      nextFinalDeletion: z.date().nullable(),
    }),
  ),
});
