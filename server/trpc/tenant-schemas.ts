import { z } from "zod";
import { RetentionCategory } from "../generated/prisma/enums";
import { EXPORT_WITHIN_DAYS } from "../retention/exports/within-days";
import { category, orgId } from "./schemas";

/** Inputs of what a tenant hears and takes away (notice settings, exports), shared with the console's forms. */

/** A webhook endpoint: a URL a receiver answers at, without credentials in it. */
const webhookUrl = z
  .string({ error: "must be a URL such as https://hooks.example.com/lethe" })
  .trim()
  .max(2000, "is too long (2,000 characters at most)")
  .pipe(
    z.url({
      protocol: /^https?$/,
      error: "must be a URL such as https://hooks.example.com/lethe",
    }),
  )
  .refine((url) => {
    // Only a URL that parsed has credentials to refuse: the pipe named any other problem.
    if (!URL.canParse(url)) return true;
    const parsed = new URL(url);
    return !parsed.username && !parsed.password;
  }, "must not hold a user name or password: the request is signed instead");

const recipient = z
  .email({ error: "must be an email address such as ops@example.com" })
  .max(254, "is too long for an email address");

export const noticeSettingsInput = z.object({
  orgId,
  webhookUrl: webhookUrl.nullable(),
  recipients: z
    .array(recipient, { error: "must be a list of email addresses" })
    .transform((list) => [...new Set(list.map((a) => a.toLowerCase()))])
    .pipe(z.array(z.string()).max(20, "must be at most 20 addresses")),
  leadDays: z
    .number({ error: "must be a whole number of days" })
    .int("must be a whole number of days")
    .min(1, "must be at least 1 day")
    .max(30, "must be at most 30 days"),
});

/** An export before deletion: an org's categories due within 1–90 days (EXPORT_WITHIN_DAYS). */
export const exportRequestInput = z.object({
  orgId,
  categories: z
    .array(category)
    .min(1, "choose at least one category")
    .max(Object.keys(RetentionCategory).length),
  withinDays: z
    .number({ error: "must be a number of days" })
    .int("must be a whole number of days")
    .min(EXPORT_WITHIN_DAYS.min, `must be at least ${EXPORT_WITHIN_DAYS.min} day`)
    .max(EXPORT_WITHIN_DAYS.max, `must be at most ${EXPORT_WITHIN_DAYS.max} days`)
    .default(EXPORT_WITHIN_DAYS.default),
});
