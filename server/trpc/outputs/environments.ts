import { z } from "zod";
import { DriftStatus } from "../../generated/prisma/enums";
import { plan } from "../schemas";
import { purgeNote } from "./common";

export const environmentPage = z.strictObject({
  total: z.number(),
  environments: z.array(
    z.strictObject({
      id: z.number(),
      name: z.string(),
      orgId: z.number(),
      orgName: z.string(),
      plan,
      status: z.enum(DriftStatus).nullable(),
      checkedAt: z.date().nullable(),
      modified: z.number(),
      notInGit: z.number(),
      unknown: z.number(),
    }),
  ),
});

const driftStatus = z.enum(DriftStatus);

export const environmentDetail = z.strictObject({
  id: z.number(),
  name: z.string(),
  org: z.strictObject({ id: z.number(), name: z.string(), plan }),
  retained: z.number(),
  checks: z.array(
    z.strictObject({
      id: z.number(),
      status: driftStatus,
      checkedAt: z.date(),
      modified: z.number(),
      notInGit: z.number(),
      unknown: z.number(),
    }),
  ),
  /** Checks a purge deleted: the list shows only those left. */
  orgChecksPurged: purgeNote,
});
