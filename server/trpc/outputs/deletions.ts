import { z } from "zod";
import { category, plan } from "../schemas";

/** How fresh the forecast snapshot is that an answer comes from. */
const snapshot = { asOf: z.date(), amendedAt: z.date().nullable(), refreshing: z.boolean() };

const dueOnDay = z.strictObject({
  day: z.string(),
  category,
  items: z.number(),
  bytes: z.bigint(),
});

/** The calendar: the overdue backlog (due today or earlier) apart from the days after today. */
export const forecastDays = z.strictObject({
  ...snapshot,
  backlog: z.array(dueOnDay),
  days: z.array(dueOnDay),
});

export const upcomingPage = z.strictObject({
  ...snapshot,
  total: z.number(),
  rows: z.array(
    z.strictObject({
      orgId: z.number(),
      orgName: z.string(),
      plan,
      category,
      items: z.number(),
      bytes: z.bigint(),
      firstDay: z.string(),
      lastDay: z.string(),
    }),
  ),
});

export const dueItemsPage = z.strictObject({
  total: z.number(),
  items: z.array(
    z.strictObject({
      itemId: z.number(),
      bytes: z.bigint(),
      eligibleAt: z.date(),
      reason: z.string(),
    }),
  ),
});

export const itemExplained = z.strictObject({
  status: z.enum(["eligible", "scheduled", "kept", "purged"]),
  eligibleAt: z.date().nullable(),
  text: z.string(),
});
