import { z } from "zod";
import { EvidencePackStatus } from "../../generated/prisma/enums";

/** An evidence pack as the Evidence page lists it: its period, progress and result. */
export const evidencePack = z.strictObject({
  id: z.number(),
  fromDay: z.date(),
  toDay: z.date(),
  orgId: z.number().nullable(),
  status: z.enum(EvidencePackStatus),
  requestedById: z.number(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  done: z.bigint(),
  total: z.bigint(),
  objectKey: z.string().nullable(),
  sha256: z.string().nullable(),
  bytes: z.bigint().nullable(),
  items: z.bigint().nullable(),
  mismatches: z.number().nullable(),
  error: z.string().nullable(),
});

export const evidencePackList = z.array(evidencePack.extend({ orgName: z.string().nullable() }));

/** The key packs are signed with, by fingerprint; or why no pack can be built. */
export const evidenceSigningKey = z.strictObject({
  fingerprint: z.string().nullable(),
  missing: z.string().nullable(),
});
