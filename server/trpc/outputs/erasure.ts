import { z } from "zod";
import { ErasureScope, ErasureStatus } from "../../generated/prisma/enums";
import { plan } from "../schemas";
import { erasureScope } from "./common";

const erasureStatus = z.enum(ErasureStatus);

export const erasureList = z.array(
  z.strictObject({
    id: z.number(),
    orgId: z.number(),
    orgName: z.string(),
    plan,
    scope: erasureScope,
    reason: z.string(),
    status: erasureStatus,
    incompleteReason: z.string().nullable(),
    orgHoldId: z.number().nullable(),
    requestedAt: z.date(),
    requestedById: z.number(),
    requestedBy: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.date().nullable(),
    runId: z.string().nullable(),
  }),
);

export const orgMembers = z.array(z.strictObject({ id: z.number(), externalId: z.string() }));

/** An erasure request as stored, after it is made or decided. */
export const erasureRequest = z.strictObject({
  id: z.number(),
  orgId: z.number(),
  status: erasureStatus,
  decidedAt: z.date().nullable(),
  scope: z.enum(ErasureScope),
  reason: z.string(),
  memberId: z.number().nullable(),
  scopeMemberId: z.number().nullable(),
  scopeMemberExternalId: z.string().nullable(),
  requestedById: z.number(),
  requestedAt: z.date(),
  decidedById: z.number().nullable(),
  runId: z.string().nullable(),
  incompleteReason: z.string().nullable(),
});
