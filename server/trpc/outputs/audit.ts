import { z } from "zod";
import { storedJson } from "./common";

export const auditPage = z.strictObject({
  total: z.number(),
  entries: z.array(
    z.strictObject({
      id: z.string(),
      at: z.date(),
      target: z.string().nullable(),
      action: z.string(),
      orgId: z.number().nullable(),
      actor: z.string(),
      actorId: z.number().nullable(),
      details: storedJson,
      prevHash: z.string(),
      hash: z.string(),
    }),
  ),
});

export const auditVerdict = z.discriminatedUnion("intact", [
  z.strictObject({ intact: z.literal(true), entries: z.number(), anchors: z.number() }),
  z.strictObject({
    intact: z.literal(false),
    entries: z.number(),
    brokenAt: z.string().nullable(),
    reason: z.string(),
  }),
]);
