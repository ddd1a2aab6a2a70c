import { z } from "zod";
import { RetentionCategory } from "../../generated/prisma/enums";

export const noticeSettings = z.strictObject({
  orgId: z.number(),
  webhookUrl: z.string().nullable(),
  secret: z.strictObject({ createdAt: z.date() }).nullable(),
  recipients: z.array(z.string()),
  leadDays: z.number(),
  configured: z.boolean(),
});

const newSecret = z.strictObject({ secret: z.string(), createdAt: z.date() });

export const savedNoticeSettings = z.strictObject({
  settings: noticeSettings,
  newSecret: newSecret.nullable(),
});

export const rotatedSecret = newSecret;

const delivery = z.strictObject({
  channel: z.enum(["WEBHOOK", "EMAIL"]),
  status: z.enum(["PENDING", "SENT", "FAILED"]),
  attempts: z.number(),
  lastError: z.string().nullable(),
  sentAt: z.date().nullable(),
});

export const noticeLog = z.strictObject({
  rows: z.array(
    z.strictObject({
      id: z.string(),
      createdAt: z.date(),
      firstDueDate: z.string(),
      leadDays: z.number(),
      items: z.number(),
      bytes: z.number(),
      categories: z.array(
        z.strictObject({
          category: z.enum(RetentionCategory),
          items: z.number(),
          bytes: z.number(),
        }),
      ),
      deliveries: z.array(delivery),
    }),
  ),
  total: z.number(),
});
