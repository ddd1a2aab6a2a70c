import { z } from "zod";
import {
  ErasureScope,
  HoldScope,
  Plan,
  PurgeTrigger,
  RetentionCategory,
  RunStatus,
} from "../generated/prisma/enums";
import { MAX_WINDOW_DAYS } from "../retention/defaults";

/** Inputs of the procedures, shared with the console's forms so both say the same thing. */

export const orgId = z.number({ error: "must be an organization id" }).int().positive();
export const category = z.enum(RetentionCategory, { error: "must be a retention category" });
export const plan = z.enum(Plan, { error: "must be a plan" });

/** A window in days, or null for unlimited. */
export const windowDays = z
  .number({ error: "must be a number of days, or null for unlimited" })
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(MAX_WINDOW_DAYS, `must be at most ${MAX_WINDOW_DAYS} days (7 years)`)
  .nullable();

export const reason = z
  .string()
  .trim()
  .min(3, "needs a reason of at least 3 characters")
  .max(500, "is too long (500 characters at most)");

export const paging = {
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
};

export const setOverrideInput = z.object({ orgId, category, days: windowDays, reason });
export const clearOverrideInput = z.object({ orgId, category });
export const whatIfInput = z
  .object({ category, days: windowDays, orgId: orgId.optional(), plan: plan.optional() })
  .refine((v) => (v.orgId === undefined) !== (v.plan === undefined), {
    error: "give either orgId or plan",
    path: ["orgId"],
  });

export const placeHoldInput = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal(HoldScope.ORG), orgId, reason }),
  z.object({
    scope: z.literal(HoldScope.INCIDENT),
    incidentId: z.number().int().positive(),
    reason,
  }),
  z.object({
    scope: z.literal(HoldScope.ARTIFACT),
    artifactId: z.number().int().positive(),
    reason,
  }),
]);

export const previewInput = z.object({
  orgIds: z.array(orgId).min(1, "choose at least one organization").max(20_000).nullable(),
  categories: z.array(category).min(1, "choose at least one category").nullable(),
  asOf: z.date().nullable().optional(),
  only: z
    .object({
      category,
      ids: z.array(z.number().int().positive()).min(1, "choose at least one item").max(1000),
    })
    .nullable()
    .optional(),
});

export const confirmInput = z.object({
  planId: z.uuid("must be a preview id"),
  acknowledgement: z.string().max(200).nullable().optional(),
});

export const horizonDays = z.union([z.literal(7), z.literal(30), z.literal(90)], {
  error: "must be 7, 30 or 90 days",
});
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD");

export const forecastFilter = z.object({
  horizonDays,
  plans: z.array(plan).nullable().optional(),
  categories: z.array(category).nullable().optional(),
  orgSearch: z.string().trim().max(100).nullable().optional(),
  from: day.nullable().optional(),
  to: day.nullable().optional(),
});

export const upcomingInput = forecastFilter.extend({
  ...paging,
  sort: z
    .object({ by: z.enum(["items", "bytes", "firstDay", "org"]), desc: z.boolean() })
    .default({ by: "bytes", desc: true }),
});

export const runsInput = z.object({
  trigger: z.enum(PurgeTrigger).optional(),
  status: z.enum(RunStatus).optional(),
  ...paging,
});
export const runId = z.uuid("must be a run id");

/** The scope is said explicitly: a request that forgets its member is refused, never widened. */
export const erasureRequestInput = z.discriminatedUnion(
  "scope",
  [
    z.object({ scope: z.literal(ErasureScope.ORGANIZATION), orgId, reason }),
    z.object({
      scope: z.literal(ErasureScope.MEMBER),
      orgId,
      memberId: z.number({ error: "must be a member id" }).int().positive(),
      reason,
    }),
  ],
  { error: 'must be "ORGANIZATION" or "MEMBER" (with memberId)' },
);
