import { z } from "zod";
import { category, plan } from "../schemas";
import { itemsAndBytes, overrideBounds } from "./common";

export const policyTable = z.strictObject({
  categories: z.array(
    z.strictObject({
      category,
      label: z.string(),
      agedBy: z.string(),
      action: z.enum([
        "delete",
        "delete object and row",
        "purge payload",
        "archive",
        "delete object",
      ]),
      plans: z.array(
        z.strictObject({
          plan,
          /** Undefined where the category does not apply to the plan; null for unlimited. */
          days: z.number().nullable().optional(),
          source: z.enum(["override", "plan", "env"]).nullable(),
          bounds: overrideBounds,
        }),
      ),
    }),
  ),
  backupKeep: z.strictObject({
    prod: z.number(),
    qa: z.number(),
    dev: z.number(),
    test: z.number(),
    other: z.number(),
  }),
});

export const overrideList = z.array(
  z.strictObject({
    orgId: z.number(),
    orgName: z.string(),
    plan,
    category,
    days: z.number().nullable(),
    reason: z.string(),
    updatedAt: z.date(),
    bounds: overrideBounds,
  }),
);

export const orgBounds = z.array(z.strictObject({ category, bounds: overrideBounds }));

const dueNowAndSoon = z.strictObject({ now: itemsAndBytes, next30Days: itemsAndBytes });

export const whatIfAnswer = z.strictObject({ current: dueNowAndSoon, proposed: dueNowAndSoon });

/** An override as stored, after it is set. */
export const override = z.strictObject({
  id: z.number(),
  orgId: z.number(),
  createdAt: z.date(),
  reason: z.string(),
  days: z.number().nullable(),
  category,
  setById: z.number(),
  updatedAt: z.date(),
});
