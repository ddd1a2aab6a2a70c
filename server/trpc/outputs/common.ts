import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client";
import { PurgeTrigger, RunStatus, TaskStatus } from "../../generated/prisma/enums";

/**
 * What the procedures answer, declared at the edge. Objects the server
 * builds are strict: a field the schema does not declare fails the call
 * (the tests call every procedure), so nothing reaches the console
 * undeclared and nothing it reads is dropped on the way. Dates and bigints
 * stay Date and BigInt: superjson carries them to the browser as such.
 */

export const trigger = z.enum(PurgeTrigger);

/** A JSON column as Prisma reads it (an audit entry's details, a drift summary). */
export const storedJson = z.custom<Prisma.JsonValue>((value) => z.json().safeParse(value).success, {
  error: "must be JSON",
});
export const runStatus = z.enum(RunStatus);
export const taskStatus = z.enum(TaskStatus);

/** What a purge took of one category from what stays (an incident, an environment), or null. */
export const purgeNote = z
  .strictObject({ items: z.number(), firstPurgedAt: z.date(), lastPurgedAt: z.date() })
  .nullable();

/** A count of items and the bytes they hold. */
export const itemsAndBytes = z.strictObject({ items: z.number(), bytes: z.bigint() });

/** The floor and ceiling an override must respect; null where no override is allowed. */
export const overrideBounds = z
  .strictObject({ floor: z.number(), ceiling: z.number().nullable() })
  .nullable();

/** An erasure's scope exactly as requested. */
export const erasureScope = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("ORGANIZATION") }),
  z.strictObject({
    kind: z.literal("MEMBER"),
    memberId: z.number(),
    externalId: z.string().nullable(),
    exists: z.boolean(),
  }),
]);

/** A new preview, to be shown and confirmed; `planning` while its steps are worked in the background. */
export const previewed = z.strictObject({ planId: z.string(), planning: z.boolean() });

/** A confirmed plan's run, to be followed. */
export const started = z.strictObject({ runId: z.string() });

/** A change that answers nothing: the console refetches what it shows. */
export const nothing = z.void();
