import { z } from "zod";
import { ApprovalStatus, HoldScope, IncidentStatus } from "../../generated/prisma/enums";
import { plan } from "../schemas";
import { purgeNote, storedJson } from "./common";

const incidentStatus = z.enum(IncidentStatus);

export const incidentPage = z.strictObject({
  total: z.number(),
  incidents: z.array(
    z.strictObject({
      id: z.number(),
      title: z.string(),
      status: incidentStatus,
      orgId: z.number(),
      orgName: z.string(),
      plan,
      environment: z.string(),
      detectedAt: z.date(),
      closedAt: z.date().nullable(),
      payloadPurgedAt: z.date().nullable(),
    }),
  ),
});

/** Each step of the workflow and when it was reached; only detection is always known. */
const timelineStep = z.discriminatedUnion("step", [
  z.strictObject({ step: z.literal("DETECTED"), at: z.date() }),
  ...(["ACKNOWLEDGED", "STABILIZED", "RECONCILED", "CLOSED"] as const).map((step) =>
    z.strictObject({ step: z.literal(step), at: z.date().nullable() }),
  ),
]);

export const incidentDetail = z.strictObject({
  id: z.number(),
  title: z.string(),
  status: incidentStatus,
  org: z.strictObject({ id: z.number(), name: z.string(), plan }),
  environment: z.strictObject({ id: z.number(), name: z.string() }),
  timeline: z.array(timelineStep),
  approvals: z.array(
    z.strictObject({
      id: z.number(),
      action: incidentStatus,
      status: z.enum(ApprovalStatus),
      requestedBy: z.string(),
      decidedBy: z.string().nullable(),
      decidedAt: z.date().nullable(),
      note: z.string().nullable(),
      createdAt: z.date(),
    }),
  ),
  /** Approvals a purge deleted: the table lists only those left. */
  approvalsPurged: purgeNote,
  driftSummary: storedJson,
  payloadPurgedAt: z.date().nullable(),
  /** While the purged payload is in its restore window: until when, the run that purged it, its bytes. */
  restorable: z.strictObject({ until: z.date(), runId: z.string(), bytes: z.bigint() }).nullable(),
  retention: z
    .strictObject({
      plan,
      days: z.number().nullable(),
      source: z.enum(["override", "plan", "env"]),
    })
    .nullable(),
  holds: z.array(
    z.strictObject({
      id: z.number(),
      scope: z.enum(HoldScope),
      reason: z.string(),
      placedAt: z.date(),
      placedBy: z.string(),
    }),
  ),
  purgeable: z.boolean(),
});
