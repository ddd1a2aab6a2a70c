import { z } from "zod";
import { ExportStatus, RetentionCategory } from "../../generated/prisma/enums";

/** An export as an org's Exports page lists it: what it covers, its progress and its expiry. */
export const exportRow = z.strictObject({
  id: z.number(),
  orgId: z.number(),
  categories: z.array(z.enum(RetentionCategory)),
  withinDays: z.number(),
  asOf: z.date(),
  status: z.enum(ExportStatus),
  requestedById: z.number().nullable(),
  noticeId: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  expiresAt: z.date(),
  expiredAt: z.date().nullable(),
  itemsDone: z.bigint(),
  itemsTotal: z.bigint(),
  bytesDone: z.bigint(),
  bytesTotal: z.bigint(),
  objectKey: z.string().nullable(),
  sha256: z.string().nullable(),
  bytes: z.bigint().nullable(),
  error: z.string().nullable(),
});

export const exportList = z.array(exportRow);

export const exportLinkOutput = z.strictObject({ url: z.string(), expiresAt: z.date() });
