import { z } from "zod";
import { PinScope } from "../../generated/prisma/enums";

const scope = z.enum(PinScope);

export const pinList = z.array(
  z.strictObject({
    id: z.number(),
    scope,
    orgId: z.number(),
    orgName: z.string(),
    incidentId: z.number().nullable(),
    artifactId: z.number().nullable(),
    pinnedUntil: z.date(),
    reason: z.string(),
    placedAt: z.date(),
    placedBy: z.string(),
    removedAt: z.date().nullable(),
    removedBy: z.string().nullable(),
    inForce: z.boolean(),
  }),
);

/** A pin as stored, after it is placed, changed or removed. */
export const pin = z.strictObject({
  id: z.number(),
  scope,
  orgId: z.number(),
  incidentId: z.number().nullable(),
  artifactId: z.number().nullable(),
  pinnedUntil: z.date(),
  reason: z.string(),
  placedById: z.number(),
  placedAt: z.date(),
  removedById: z.number().nullable(),
  removedAt: z.date().nullable(),
});
