import { z } from "zod";
import { storedJson } from "./common";

/** What the run an entry names did, from its tasks (server/console/audit-outcomes.ts). */
const runOutcome = z.strictObject({
  orgs: z.number(),
  orgName: z.string().nullable(),
  categories: z.number(),
  eligible: z.bigint(),
  deleted: z.bigint(),
  archived: z.bigint(),
  skipped: z.bigint(),
  failed: z.bigint(),
  bytesFreed: z.bigint(),
});

export const auditPage = z.strictObject({
  total: z.number(),
  orgName: z.string().nullable(),
  entries: z.array(
    z.strictObject({
      id: z.string(),
      at: z.date(),
      target: z.string().nullable(),
      action: z.string(),
      orgId: z.number().nullable(),
      actor: z.string(),
      actorId: z.number().nullable(),
      actorLabel: z.string(),
      orgName: z.string().nullable(),
      outcome: runOutcome.nullable(),
      details: storedJson,
      prevHash: z.string(),
      hash: z.string(),
    }),
  ),
});

export const auditActors = z.array(z.strictObject({ value: z.string(), label: z.string() }));

export const auditVerdict = z.discriminatedUnion("intact", [
  z.strictObject({ intact: z.literal(true), entries: z.number(), anchors: z.number() }),
  z.strictObject({
    intact: z.literal(false),
    entries: z.number(),
    brokenAt: z.string().nullable(),
    reason: z.string(),
  }),
]);
