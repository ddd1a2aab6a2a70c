import { z } from "zod";
import { DriftStatus } from "../../generated/prisma/enums";
import { plan } from "../schemas";

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
