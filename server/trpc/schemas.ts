import { z } from "zod";
import {
  ErasureScope,
  HoldScope,
  Plan,
  PurgeTrigger,
  RetentionCategory,
  RunStatus,
} from "../generated/prisma/enums";
import { FIRST_DAY, isStorableDay, LAST_DAY } from "../calendar-day";
import { recordId, recordUuid } from "../record-id";
import { MAX_WINDOW_DAYS } from "../retention/policy/defaults";

/** Inputs of the procedures, shared with the console's forms so both say the same thing. */

export { recordId };

export const planId = recordUuid("must be a preview id");
export const runId = recordUuid("must be a run id");

export const orgId = recordId("must be an organization id");
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

const DAY_FORMAT = "must be a calendar day as YYYY-MM-DD (e.g. 2026-03-31)";

/**
 * A calendar day as YYYY-MM-DD, within what Lethe can store. zod's ISO date
 * knows each month's length and leap years, so 2026-02-30 is refused here
 * rather than by Postgres; isCalendarDay, which a page reads its address
 * with, refuses the same (calendar-day.test.ts).
 */
export const calendarDay = z.iso
  .date({ error: DAY_FORMAT, abort: true })
  .refine(isStorableDay, { error: `must be a day from ${FIRST_DAY} to ${LAST_DAY}` });

/** A moment in time (a Date, as superjson sends it). */
export const instant = z
  .date({ error: "must be a date" })
  .min(new Date(`${FIRST_DAY}T00:00:00Z`), `must be on or after ${FIRST_DAY}`)
  .max(new Date(`${LAST_DAY}T23:59:59.999Z`), `must be on or before ${LAST_DAY}`);

/** A range whose ends, when both are given, are in order; `to` takes the blame. */
export const rangeInOrder = <
  S extends z.ZodType<{ from?: string | Date | null; to?: string | Date | null }>,
>(
  schema: S,
) =>
  schema.refine((range) => !range.from || !range.to || range.from <= range.to, {
    error: "must be on or after from",
    path: ["to"],
  });

/** Pages past a million are past the end of anything Lethe lists. */
export const paging = {
  page: z.number().int().min(1).max(1_000_000, "must be at most 1000000").default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
};

/** The rows a read model skips and takes for one page of `paging`. */
export const pageRange = (input: { page: number; pageSize: number }) => ({
  offset: (input.page - 1) * input.pageSize,
  limit: input.pageSize,
});

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
    incidentId: recordId("must be an incident id"),
    reason,
  }),
  z.object({
    scope: z.literal(HoldScope.ARTIFACT),
    artifactId: recordId("must be an artifact id"),
    reason,
  }),
]);

/** Releasing a hold makes what it covered purgeable again: why is audited with it. */
export const releaseHoldInput = z.object({ holdId: recordId("must be a legal hold id"), reason });

const pinUntil = calendarDay;

export const placePinInput = z.discriminatedUnion("scope", [
  z.object({
    scope: z.literal("INCIDENT"),
    incidentId: recordId("must be an incident id"),
    until: pinUntil,
    reason,
  }),
  z.object({
    scope: z.literal("ARTIFACT"),
    artifactId: recordId("must be an artifact id"),
    until: pinUntil,
    reason,
  }),
]);

export const changePinInput = z.object({ pinId: recordId("must be a pin id"), until: pinUntil });

export const previewInput = z.object({
  orgIds: z.array(orgId).min(1, "choose at least one organization").max(20_000).nullable(),
  categories: z.array(category).min(1, "choose at least one category").nullable(),
  asOf: instant.nullable().optional(),
  only: z
    .object({
      category,
      ids: z.array(recordId("must be an item id")).min(1, "choose at least one item").max(1000),
    })
    .nullable()
    .optional(),
});

export const confirmInput = z.object({
  planId,
  acknowledgement: z.string().max(200).nullable().optional(),
});

export const horizonDays = z.union([z.literal(7), z.literal(30), z.literal(90)], {
  error: "must be 7, 30 or 90 days",
});
const forecastFields = z.object({
  horizonDays,
  plans: z.array(plan).nullable().optional(),
  categories: z.array(category).nullable().optional(),
  orgSearch: z.string().trim().max(100).nullable().optional(),
  from: calendarDay.nullable().optional(),
  to: calendarDay.nullable().optional(),
});

export const forecastFilter = rangeInOrder(forecastFields);

export const upcomingSorts = ["items", "bytes", "firstDay", "org"] as const;

export const upcomingInput = rangeInOrder(
  forecastFields.extend({
    ...paging,
    sort: z
      .object({ by: z.enum(upcomingSorts), desc: z.boolean() })
      .default({ by: "bytes", desc: true }),
  }),
);

export const runsInput = z.object({
  trigger: z.enum(PurgeTrigger).optional(),
  status: z.enum(RunStatus).optional(),
  ...paging,
});

/** The scope is said explicitly: a request that forgets its member is refused, never widened. */
export const erasureRequestInput = z.discriminatedUnion(
  "scope",
  [
    z.object({ scope: z.literal(ErasureScope.ORGANIZATION), orgId, reason }),
    z.object({
      scope: z.literal(ErasureScope.MEMBER),
      orgId,
      memberId: recordId("must be a member id"),
      reason,
    }),
  ],
  { error: 'must be "ORGANIZATION" or "MEMBER" (with memberId)' },
);

const restoreScope = z.object({
  orgId: orgId.optional(),
  category: category.optional(),
  itemId: recordId("must be an item id").optional(),
});

/** A restore's scope is a whole run, one org × category of it, or one item (named by its category). */
const restoreRules = <S extends z.ZodType<z.infer<typeof restoreScope>>>(schema: S) =>
  schema
    .refine((v) => v.itemId === undefined || v.category !== undefined, {
      error: "an item is named by its category and its id",
      path: ["category"],
    })
    .refine((v) => v.orgId === undefined || v.category !== undefined, {
      error: "restore one org × category: give its category too",
      path: ["category"],
    });

/** What a restore brings back from a run's window: the procedure's input. */
export const restoreInput = restoreRules(restoreScope.extend({ runId }));

/** The same, as the body of POST /api/runs/{runId}/restore (the run is in the path). */
export const restoreBody = restoreRules(restoreScope.strict());
