import { z } from "zod";
import { HoldScope } from "../../generated/prisma/enums";

const scope = z.enum(HoldScope);

export const holdList = z.array(
  z.strictObject({
    id: z.number(),
    scope,
    orgId: z.number(),
    orgName: z.string(),
    incidentId: z.number().nullable(),
    artifactId: z.number().nullable(),
    reason: z.string(),
    placedAt: z.date(),
    placedBy: z.string(),
    releasedAt: z.date().nullable(),
    releasedBy: z.string().nullable(),
  }),
);

/** A legal hold as stored, after it is placed or released. */
export const hold = z.strictObject({
  id: z.number(),
  orgId: z.number(),
  releasedAt: z.date().nullable(),
  placedAt: z.date(),
  incidentId: z.number().nullable(),
  scope,
  artifactId: z.number().nullable(),
  reason: z.string(),
  placedById: z.number(),
  releasedById: z.number().nullable(),
});
