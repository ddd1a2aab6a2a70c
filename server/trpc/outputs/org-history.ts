import { z } from "zod";
import { ErasureStatus, HoldScope, PinScope } from "../../generated/prisma/enums";
import { category, plan } from "../schemas";
import { erasureScope, runStatus, trigger } from "./common";

/** Where an entry sits in the history, and who did it as far as its record says. */
const placed = { key: z.string(), at: z.date(), actor: z.string().nullable() };

/** An override's days: a number, "unlimited", or "plan" (the plan's default, no override). */
const overrideDays = z.union([z.number(), z.literal("unlimited"), z.literal("plan")]);

const entry = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("run"),
    ...placed,
    runId: z.string(),
    trigger,
    status: runStatus,
    finishedAt: z.date().nullable(),
    erasureId: z.number().nullable(),
    categories: z.array(
      z.strictObject({
        category,
        archived: z.boolean(),
        deleted: z.number(),
        skipped: z.number(),
        failed: z.number(),
        bytesFreed: z.bigint(),
        /** Items purged into a restore window: waiting, restored, and the bytes freed at its end. */
        window: z
          .strictObject({
            waiting: z.number(),
            waitingBytes: z.bigint(),
            restored: z.number(),
            freedAfter: z.bigint(),
          })
          .nullable(),
      }),
    ),
  }),
  z.strictObject({
    kind: z.literal("restore"),
    ...placed,
    restoreId: z.string(),
    runId: z.string(),
    categories: z.array(z.strictObject({ category, items: z.number(), bytes: z.bigint() })),
  }),
  z.strictObject({
    kind: z.literal("preview"),
    ...placed,
    id: z.string(),
    trigger,
    outcome: z.enum(["open", "expired", "discarded"]),
    orgCount: z.number().nullable(),
    items: z.bigint().nullable(),
    bytes: z.bigint().nullable(),
    categories: z.number().nullable(),
  }),
  z.strictObject({
    kind: z.literal("hold"),
    ...placed,
    event: z.enum(["placed", "released"]),
    id: z.number(),
    scope: z.enum(HoldScope),
    incidentId: z.number().nullable(),
    artifactId: z.number().nullable(),
    reason: z.string(),
  }),
  z.strictObject({
    kind: z.literal("pin"),
    ...placed,
    event: z.enum(["placed", "changed", "removed", "ended"]),
    id: z.number(),
    scope: z.enum(PinScope),
    incidentId: z.number().nullable(),
    artifactId: z.number().nullable(),
    /** YYYY-MM-DD: the date placed, moved to, or the pin had when removed or ended. */
    until: z.string(),
    /** The date it was moved from. */
    from: z.string().nullable(),
    /** The GDPR erasure that ended it, taking its item. */
    erasureId: z.number().nullable(),
    reason: z.string(),
  }),
  z.strictObject({
    kind: z.literal("override"),
    ...placed,
    event: z.enum(["set", "changed", "removed"]),
    category,
    from: overrideDays,
    to: overrideDays,
  }),
  z.strictObject({
    kind: z.literal("erasure"),
    ...placed,
    event: z.enum(["requested", "approved", "rejected"]),
    requestId: z.number(),
    scope: erasureScope,
    status: z.enum(ErasureStatus),
    runId: z.string().nullable(),
  }),
  z.strictObject({
    kind: z.literal("notice"),
    ...placed,
    id: z.string(),
    firstDueDate: z.string(),
    items: z.bigint(),
    bytes: z.bigint(),
    deliveries: z.array(
      z.strictObject({
        channel: z.enum(["WEBHOOK", "EMAIL"]),
        status: z.enum(["PENDING", "SENT", "FAILED"]),
      }),
    ),
  }),
]);

export const orgHistoryPage = z.strictObject({
  org: z.strictObject({ id: z.number(), name: z.string(), plan }),
  entries: z.array(entry),
  /** The `after` of the next page; null on the last. */
  next: z.string().nullable(),
});
